import { NotAllowedError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { authorizeRunnerRequest } from '../lib/access';
import {
  connectGitlab,
  gitlabStatus,
  sanitizeGitlabError,
} from '../lib/gitlab';
import {
  hostField,
  poolField,
  resolveGitlabHost,
  runnerDescriptionField,
  tagsField,
  targetFields,
} from '../lib/inputs';
import { runnerTokenVariableKey } from '../lib/naming';
import { loadHardwarePool } from '../lib/pools';
import {
  NAMESPACE_PATH_PATTERN,
  VARIABLE_KEY_PATTERN,
  type Zod,
  parseActionInput,
} from '../lib/validation';
import type { RunnerFleetActionOptions } from './configRender';
import { examples } from './runnerCreate.examples';

/** Project that stores runner tokens as CI/CD variables by default. */
export const DEFAULT_INFRASTRUCTURE_PROJECT = 'platform/runner-infrastructure';

const inputSchema = (z: Zod) =>
  z.object({
    host: hostField(z),
    pool: poolField(z),
    ...targetFields(z),
    tags: tagsField(z),
    description: runnerDescriptionField(z),
    locked: z
      .boolean()
      .default(true)
      .describe('Lock a project runner to its project so other projects cannot enable it'),
    protectedBranchesOnly: z
      .boolean()
      .default(false)
      .describe('Run only jobs on protected branches and tags (access_level ref_protected)'),
    maximumTimeout: z
      .number()
      .int()
      .min(600)
      .max(7 * 24 * 3600)
      .optional()
      .describe('Maximum job timeout in seconds that the runner enforces'),
    variableProject: z
      .string()
      .regex(NAMESPACE_PATH_PATTERN, 'must be a GitLab project path')
      .default(DEFAULT_INFRASTRUCTURE_PROJECT)
      .describe(
        'GitLab project whose deployment pipeline reads the token variable and creates the Kubernetes Secret',
      ),
    variableKey: z
      .string()
      .regex(
        VARIABLE_KEY_PATTERN,
        'must contain only letters, digits and _, at most 255 characters',
      )
      .optional()
      .describe(
        'CI/CD variable key for the token; defaults to RUNNER_TOKEN_<PATH>_<POOL>',
      ),
  });

const outputSchema = (z: Zod) =>
  z.object({
    runnerId: z
      .number()
      .describe('GitLab runner id; 0 in a dry run'),
    variableKey: z
      .string()
      .describe('CI/CD variable in the infrastructure project that holds the token'),
    variableProject: z
      .string()
      .describe('Project that holds the token variable'),
  });

/**
 * Creates `runner-fleet:runner:create`, which creates a project or group
 * runner in GitLab and stores its authentication token as a masked,
 * protected CI/CD variable of the infrastructure project. The token is held
 * only in memory: it never reaches logs, outputs, checkpoints or files.
 * @public
 */
export function createRunnerCreateAction(options: RunnerFleetActionOptions) {
  const { catalog, integrations, permissions } = options;
  return createTemplateAction({
    id: 'runner-fleet:runner:create',
    description:
      'Creates a GitLab project or group runner and stores its token as a masked, protected CI/CD variable of the infrastructure project',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const credentials = await ctx.getInitiatorCredentials();
      const pool = await loadHardwarePool(catalog, input.pool, credentials);
      if (pool.access === 'restricted') {
        throw new NotAllowedError(
          `pool ${pool.ref} is restricted, so runners on it need approval; use runner-fleet:request:create instead`,
        );
      }
      const variableKey =
        input.variableKey ?? runnerTokenVariableKey(input.targetPath, pool.name);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create a ${input.targetKind} runner for ${input.targetPath} and store its token in ${input.variableProject} as ${variableKey}`,
        );
        ctx.output('runnerId', 0);
        ctx.output('variableKey', variableKey);
        ctx.output('variableProject', input.variableProject);
        return;
      }

      const host = resolveGitlabHost(integrations, input.host);
      const { api } = connectGitlab(integrations, host);
      const target = await authorizeRunnerRequest({
        permissions,
        credentials,
        user: ctx.user,
        gitlab: api,
        target: { kind: input.targetKind, path: input.targetPath },
      });

      // Refuse before creating anything when the key is taken: overwriting it
      // would cut off the runner that uses the old token.
      try {
        await api.ProjectVariables.show(input.variableProject, variableKey);
        throw new InputError(
          `variableKey ${variableKey} already exists in ${input.variableProject}; pick another key or remove the old runner first`,
        );
      } catch (error) {
        if (error instanceof InputError) {
          throw error;
        }
        if (gitlabStatus(error) !== 404) {
          throw sanitizeGitlabError(
            `variable lookup in ${input.variableProject}`,
            error,
          );
        }
      }

      // One checkpoint covers both calls because the token may not be stored
      // between them; its key and value hold only ids.
      const runnerId = await ctx.checkpoint({
        key: `runner-create:${input.targetKind}:${target.targetId}:${input.variableProject}:${variableKey}`,
        fn: async () => {
          let created: { id: number; token: string };
          try {
            created = await api.Users.createCIRunner(
              input.targetKind === 'project' ? 'project_type' : 'group_type',
              {
                ...(input.targetKind === 'project'
                  ? { projectId: target.targetId }
                  : { groupId: target.targetId }),
                description: input.description,
                tagList: input.tags,
                runUntagged: false,
                locked: input.locked,
                accessLevel: input.protectedBranchesOnly
                  ? 'ref_protected'
                  : 'not_protected',
                ...(input.maximumTimeout
                  ? { maximumTimeout: input.maximumTimeout }
                  : {}),
                maintenanceNote: `Requested in Backstage by ${target.gitlabUsername} for ${pool.ref}`,
              },
            );
          } catch (error) {
            throw sanitizeGitlabError('runner creation', error);
          }

          try {
            await api.ProjectVariables.create(
              input.variableProject,
              variableKey,
              created.token,
              {
                masked: true,
                protected: true,
                raw: true,
                variableType: 'env_var',
                description: `Authentication token of GitLab runner ${created.id} for ${input.targetPath}`,
              },
            );
          } catch (error) {
            const sanitized = sanitizeGitlabError(
              `storing the runner token in ${input.variableProject}`,
              error,
              [created.token],
            );
            // Without the stored token nobody can use the runner, so remove it.
            try {
              await api.Runners.remove({ runnerId: created.id });
            } catch (cleanupError) {
              ctx.logger.error(
                `Could not delete runner ${created.id} after the token could not be stored: ${
                  sanitizeGitlabError('runner deletion', cleanupError, [
                    created.token,
                  ]).message
                }`,
              );
            }
            throw sanitized;
          }
          return created.id;
        },
      });

      ctx.logger.info(
        `Created runner ${runnerId} for ${input.targetKind} ${input.targetPath}; its token is in ${input.variableProject} as ${variableKey}`,
      );
      ctx.output('runnerId', runnerId);
      ctx.output('variableKey', variableKey);
      ctx.output('variableProject', input.variableProject);
    },
  });
}
