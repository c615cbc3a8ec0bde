import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { z as zod } from 'zod/v3';
import { authorizeRunnerRequest } from '../lib/access';
import { connectGitlab } from '../lib/gitlab';
import {
  hostField,
  poolField,
  resolveGitlabHost,
  resourceFields,
  runnerDescriptionField,
  tagsField,
  targetFields,
} from '../lib/inputs';
import {
  runnerSecretName,
  runnerSlug,
  runnerTokenVariableKey,
} from '../lib/naming';
import {
  type HardwarePool,
  checkRequestWithinPool,
  loadHardwarePool,
} from '../lib/pools';
import { type Zod, parseActionInput } from '../lib/validation';
import type { RunnerFleetActionOptions } from './configRender';
import { examples } from './requestCreate.examples';

const inputSchema = (z: Zod) =>
  z.object({
    host: hostField(z),
    pool: poolField(z),
    ...targetFields(z),
    tags: tagsField(z),
    description: runnerDescriptionField(z),
    ...resourceFields(z),
    justification: z
      .string()
      .trim()
      .min(20, 'must explain the need in at least 20 characters')
      .max(4000)
      .describe('Why the project needs this pool; reviewers read it in the merge request'),
  });

const outputSchema = (z: Zod) =>
  z.object({
    approvalRequired: z
      .boolean()
      .describe('True when the pool is restricted and the request waits for approval instead of creating a runner'),
    poolAccess: z
      .enum(['open', 'on-request', 'restricted'])
      .describe('Access policy of the pool'),
    poolName: z.string().describe('Entity name of the pool'),
    runnerDescription: z.string().describe('The description to give the runner'),
    directory: z
      .string()
      .describe('Workspace directory for this request in the infrastructure repository, for example runners/pool-gpu/ml-training-pool-gpu'),
    valuesPath: z.string().describe('Where the chart values belong, relative to the workspace'),
    secretName: z.string().describe('Kubernetes Secret that will hold the runner token'),
    variableKey: z.string().describe('CI/CD variable that will hold the runner token'),
    branchName: z.string().describe('Branch name for the merge request'),
    mergeRequestTitle: z.string().describe('Title for the merge request'),
    mergeRequestDescription: z
      .string()
      .describe('Markdown description for the merge request'),
  });

type RequestInput = zod.infer<ReturnType<typeof inputSchema>>;

function quoteMarkdown(text: string): string {
  return text
    .split(/\r?\n/)
    .map(line => `> ${line}`)
    .join('\n');
}

function describeRequest(
  input: RequestInput,
  pool: HardwarePool,
  requester: string,
  approvalRequired: boolean,
): string {
  const resources = [
    `${input.cpu} vCPU`,
    `${input.memoryGiB} GiB memory`,
    input.accelerators > 0 && pool.accelerator
      ? `${input.accelerators} × ${pool.accelerator.model}`
      : undefined,
    input.cvmfs ? 'CVMFS mounted read-only' : undefined,
  ].filter(Boolean);
  const lines = [
    approvalRequired
      ? `**Approval needed:** ${pool.title} is a restricted pool. Merging this request approves it; the deployment pipeline then creates the runner.`
      : `Runner on ${pool.title} (${pool.access} access), created by Backstage.`,
    '',
    `| field | value |`,
    `| --- | --- |`,
    `| requested by | ${requester} |`,
    `| ${input.targetKind} | \`${input.targetPath}\` |`,
    `| pool | \`${pool.ref}\` |`,
    `| tags | ${input.tags.map(t => `\`${t}\``).join(', ')} |`,
    `| per job | ${resources.join(', ')} |`,
    '',
    '### Justification',
    '',
    quoteMarkdown(input.justification),
  ];
  return lines.join('\n');
}

/**
 * Creates `runner-fleet:request:create`, the first step of a runner request.
 * It validates the request against the pool, checks that the initiator owns
 * the project or group, and tells the template whether the pool needs
 * approval. For restricted pools it writes `request.yaml` and `REQUEST.md`
 * into the workspace, which the template commits to the infrastructure
 * repository as a merge request; merging it is the approval.
 * @public
 */
export function createRequestCreateAction(options: RunnerFleetActionOptions) {
  const { catalog, integrations, permissions } = options;
  return createTemplateAction({
    id: 'runner-fleet:request:create',
    description:
      'Validates a runner request, checks ownership and, for restricted pools, writes a request for approval into the workspace',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const credentials = await ctx.getInitiatorCredentials();
      const pool = await loadHardwarePool(catalog, input.pool, credentials);
      checkRequestWithinPool(pool, input);

      let requester = ctx.user?.ref ?? 'unknown user';
      if (!ctx.isDryRun) {
        const host = resolveGitlabHost(integrations, input.host);
        const { api } = connectGitlab(integrations, host);
        const authorized = await authorizeRunnerRequest({
          permissions,
          credentials,
          user: ctx.user,
          gitlab: api,
          target: { kind: input.targetKind, path: input.targetPath },
        });
        requester = `${requester} (GitLab ${authorized.gitlabUsername})`;
      }

      const approvalRequired = pool.access === 'restricted';
      const slug = runnerSlug(input.targetPath, pool.name);
      const directory = `${approvalRequired ? 'requests' : 'runners'}/${pool.name}/${slug}`;
      const description = describeRequest(
        input,
        pool,
        requester,
        approvalRequired,
      );

      if (approvalRequired) {
        const dir = resolveSafeChildPath(ctx.workspacePath, directory);
        await fs.mkdir(dir, { recursive: true });
        const request = {
          apiVersion: 'runner-fleet.io/v1alpha1',
          kind: 'RunnerRequest',
          requestedBy: requester,
          target: { kind: input.targetKind, path: input.targetPath },
          pool: pool.ref,
          runner: {
            description: input.description,
            tags: input.tags,
            runUntagged: false,
          },
          resources: {
            cpu: input.cpu,
            memoryGiB: input.memoryGiB,
            accelerators: input.accelerators,
            cvmfs: input.cvmfs,
          },
          justification: input.justification,
        };
        await fs.writeFile(
          path.join(dir, 'request.yaml'),
          stringifyYaml(request),
          'utf8',
        );
        await fs.writeFile(path.join(dir, 'REQUEST.md'), `${description}\n`, 'utf8');
        ctx.logger.info(
          `Pool ${pool.ref} is restricted; wrote a request for approval into ${directory}`,
        );
      }

      ctx.output('approvalRequired', approvalRequired);
      ctx.output('poolAccess', pool.access);
      ctx.output('poolName', pool.name);
      ctx.output('runnerDescription', input.description);
      ctx.output('directory', directory);
      ctx.output('valuesPath', `${directory}/values.yaml`);
      ctx.output('secretName', runnerSecretName(input.targetPath, pool.name));
      ctx.output('variableKey', runnerTokenVariableKey(input.targetPath, pool.name));
      ctx.output('branchName', `runner-request/${slug}`);
      ctx.output(
        'mergeRequestTitle',
        approvalRequired
          ? `Request ${pool.title} runner for ${input.targetPath}`
          : `Add ${pool.title} runner for ${input.targetPath}`,
      );
      ctx.output('mergeRequestDescription', description);
    },
  });
}
