import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { z as zod } from 'zod/v3';
import {
  authorizeFleetChange,
  loadFleet,
  updateEntityInWorkspaceFile,
} from '../lib/fleets';
import {
  FREE_TEXT_PATTERN,
  type Zod,
  entityRefInputSchema,
  parseActionInput,
} from '../lib/validation';
import type { RunnerFleetActionOptions } from './configRender';
import { examples } from './fleetLend.examples';

/** Maximum loan length the action accepts, in days. */
export const MAX_LOAN_DAYS = 30;

const inputSchema = (z: Zod) =>
  z.object({
    fleet: entityRefInputSchema(z).describe(
      'Fleet that lends its runners, for example resource:default/fleet-qa-k8s-default',
    ),
    borrower: entityRefInputSchema(z).describe(
      'Fleet that receives the runners, for example resource:default/fleet-k8s-default',
    ),
    until: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in the form YYYY-MM-DD')
      .describe(`Last day of the loan (UTC); at most ${MAX_LOAN_DAYS} days ahead`),
    reason: z
      .string()
      .min(10)
      .max(500)
      .regex(FREE_TEXT_PATTERN, 'must be one line without control characters and without {{ or }}')
      .describe('Why production needs the runners, for example an incident'),
    fleetEntityPath: z
      .string()
      .min(1)
      .describe('Workspace path of the catalog file that declares the lending fleet'),
    changePath: z
      .string()
      .min(1)
      .optional()
      .describe('Workspace path for the runner change; defaults to runner-changes/<fleet>-lend.yaml'),
  });

const outputSchema = (z: Zod) =>
  z.object({
    changePath: z.string().describe('Workspace path of the written runner change'),
    runnerIds: z.array(z.number()).describe('GitLab runners that the change affects'),
    mergeRequestDescription: z.string().describe('Markdown description for the merge request'),
  });

/**
 * Creates `runner-fleet:fleet:lend`, which lends a fleet's runners to another
 * fleet until a date: it sets `spec.lentTo` in the lending fleet's catalog
 * file (keeping comments and layout) and writes the runner change, the tags
 * and run-untagged setting of the borrower plus the revert at expiry, for
 * the infrastructure pipeline to apply.
 * @public
 */
export function createFleetLendAction(
  options: RunnerFleetActionOptions & { now?: () => Date },
) {
  const { catalog, permissions } = options;
  const now = options.now ?? (() => new Date());
  return createTemplateAction({
    id: 'runner-fleet:fleet:lend',
    description:
      "Lends a fleet's runners to another fleet until a date by editing the catalog file and writing the runner change",
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const credentials = await ctx.getInitiatorCredentials();

      const until = new Date(`${input.until}T23:59:59Z`);
      if (Number.isNaN(until.getTime())) {
        throw new InputError(`until ${input.until} is not a calendar date`);
      }
      const days = (until.getTime() - now().getTime()) / 86_400_000;
      if (days < 0) {
        throw new InputError(`until ${input.until} is in the past; pick a later date`);
      }
      if (days > MAX_LOAN_DAYS) {
        throw new InputError(
          `until ${input.until} is more than ${MAX_LOAN_DAYS} days ahead; lend for a shorter time and extend it later`,
        );
      }

      const lender = await loadFleet(catalog, input.fleet, 'fleet', credentials);
      const borrower = await loadFleet(catalog, input.borrower, 'borrower', credentials);
      if (lender.ref === borrower.ref) {
        throw new InputError(`borrower ${borrower.ref} must differ from fleet`);
      }
      if (lender.spec.lentTo && lender.spec.lentTo.fleet !== borrower.ref) {
        throw new InputError(
          `fleet ${lender.ref} is already lent to ${lender.spec.lentTo.fleet} until ${lender.spec.lentTo.until}; end that loan first`,
        );
      }
      await authorizeFleetChange({ permissions, credentials, user: ctx.user, fleet: lender });

      await updateEntityInWorkspaceFile(
        ctx.workspacePath,
        input.fleetEntityPath,
        lender.name,
        document => {
          document.setIn(['spec', 'lentTo'], document.createNode({
            fleet: borrower.ref,
            until: input.until,
            reason: input.reason,
          }));
        },
      );

      const tags = [...new Set([...lender.spec.tags, ...borrower.spec.tags])];
      const change = {
        apiVersion: 'runner-fleet.io/v1alpha1',
        kind: 'RunnerChange',
        reason: input.reason,
        fleet: lender.ref,
        lentTo: borrower.ref,
        runnerIds: lender.runnerIds,
        apply: { tagList: tags, runUntagged: borrower.spec.runUntagged },
        revertAt: until.toISOString(),
        revert: { tagList: lender.spec.tags, runUntagged: lender.spec.runUntagged },
      };
      const changePath = input.changePath ?? `runner-changes/${lender.name}-lend.yaml`;
      const changeFile = resolveSafeChildPath(ctx.workspacePath, changePath);
      await fs.mkdir(path.dirname(changeFile), { recursive: true });
      await fs.writeFile(changeFile, stringifyYaml(change), 'utf8');

      const description = [
        `Lends the runners of \`${lender.ref}\` to \`${borrower.ref}\` until ${input.until} (UTC).`,
        '',
        `Reason: ${input.reason}`,
        '',
        `- runners: ${lender.runnerIds.length > 0 ? lender.runnerIds.join(', ') : 'none recorded by discovery yet'}`,
        `- tags while lent: ${tags.map(t => `\`${t}\``).join(', ')}`,
        `- run untagged jobs while lent: ${borrower.spec.runUntagged ? 'yes' : 'no'}`,
        `- the pipeline restores tags ${lender.spec.tags.map(t => `\`${t}\``).join(', ')} at ${until.toISOString()}`,
      ].join('\n');

      ctx.logger.info(`Prepared the loan of ${lender.ref} to ${borrower.ref} until ${input.until}`);
      ctx.output('changePath', changePath);
      ctx.output('runnerIds', lender.runnerIds);
      ctx.output('mergeRequestDescription', description);
    },
  });
}
