import {
  type PermissionsService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z as zod } from 'zod/v3';
import { renderRunnerDeployment } from '../lib/helmValues';
import {
  hostField,
  poolField,
  renderTuningFields,
  resolveGitlabHost,
  resourceFields,
  runnerDescriptionField,
} from '../lib/inputs';
import { checkRequestWithinPool, loadHardwarePool } from '../lib/pools';
import {
  KUBERNETES_NAME_PATTERN,
  type Zod,
  parseActionInput,
} from '../lib/validation';
import { examples } from './configRender.examples';

/** Services the runner-fleet actions use. */
export interface RunnerFleetActionOptions {
  catalog: CatalogService;
  integrations: ScmIntegrationRegistry;
  permissions: PermissionsService;
}

const inputSchema = (z: Zod) =>
  z.object({
    host: hostField(z),
    pool: poolField(z),
    runnerName: runnerDescriptionField(z),
    secretName: z
      .string()
      .regex(
        KUBERNETES_NAME_PATTERN,
        'must be a Kubernetes name: lowercase letters, digits and -, at most 63 characters',
      )
      .describe(
        'Kubernetes Secret with the runner-token key, created by the deployment pipeline (chart value runners.secret)',
      ),
    ...resourceFields(z),
    ...renderTuningFields(z),
    outputPath: z
      .string()
      .min(1)
      .default('values.yaml')
      .describe('Where to write the chart values, relative to the workspace'),
  });

const outputSchema = (z: Zod) =>
  z.object({
    valuesPath: z
      .string()
      .describe('Path of the written values file, relative to the workspace'),
    poolAccess: z
      .enum(['open', 'on-request', 'restricted'])
      .describe('Access policy of the pool'),
    configToml: z
      .string()
      .describe('The rendered config.toml section, for review in the task output'),
  });

/**
 * Creates `runner-fleet:config:render`, which writes values for the
 * `gitlab-runner` Helm chart with a Kubernetes-executor config.toml sized to
 * a hardware pool.
 * @public
 */
export function createConfigRenderAction(options: RunnerFleetActionOptions) {
  const { catalog, integrations } = options;
  return createTemplateAction({
    id: 'runner-fleet:config:render',
    description:
      'Renders gitlab-runner Helm chart values and the Kubernetes executor config.toml for a hardware pool',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const credentials = await ctx.getInitiatorCredentials();
      const host = resolveGitlabHost(integrations, input.host);
      const gitlabUrl = integrations.gitlab.byHost(host)?.config.baseUrl ?? `https://${host}`;

      const pool = await loadHardwarePool(catalog, input.pool, credentials);
      checkRequestWithinPool(pool, input);

      const rendered = renderRunnerDeployment({
        gitlabUrl,
        runnerName: input.runnerName,
        secretName: input.secretName,
        pool,
        concurrent: input.concurrent,
        resources: {
          cpu: input.cpu,
          memoryGiB: input.memoryGiB,
          accelerators: input.accelerators,
        },
        cvmfs: input.cvmfs,
        fileDescriptorLimit: input.fileDescriptorLimit,
        honorEntrypoint: input.honorEntrypoint,
        dropAllCapabilities: input.dropAllCapabilities,
        defaultImage: input.defaultImage,
      });

      const target = resolveSafeChildPath(ctx.workspacePath, input.outputPath);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, rendered.valuesYaml, 'utf8');
      ctx.logger.info(
        `Rendered gitlab-runner values for ${pool.ref} into ${input.outputPath}`,
      );

      ctx.output('valuesPath', input.outputPath);
      ctx.output('poolAccess', pool.access);
      ctx.output('configToml', rendered.configToml);
    },
  });
}
