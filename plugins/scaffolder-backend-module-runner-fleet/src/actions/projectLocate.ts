import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { authorizeRunnerRequest } from '../lib/access';
import { connectGitlab, sanitizeGitlabError } from '../lib/gitlab';
import { hostField, resolveGitlabHost } from '../lib/inputs';
import { type Zod, namespacePathSchema, parseActionInput } from '../lib/validation';
import type { RunnerFleetActionOptions } from './configRender';
import { examples } from './projectLocate.examples';

const inputSchema = (z: Zod) =>
  z.object({
    host: hostField(z),
    project: namespacePathSchema(z).describe(
      'GitLab project path, for example platform/runner-infrastructure',
    ),
    minimumAccessLevel: z
      .union([z.literal(0), z.literal(30), z.literal(40), z.literal(50)])
      .default(0)
      .describe(
        "GitLab role the initiator needs on the project: 0 for no check, 30 Developer, 40 Maintainer, 50 Owner",
      ),
  });

const outputSchema = (z: Zod) =>
  z.object({
    repoUrl: z
      .string()
      .describe('Repository in the form publish:gitlab:merge-request expects, host?owner=group&repo=name'),
    webUrl: z.string().describe('Web URL of the project'),
    defaultBranch: z.string().describe("The project's default branch; main in a dry run"),
    treeUrl: z.string().describe('Web URL of the default branch tree, for fetch:plain'),
  });

/**
 * Creates `runner-fleet:project:locate`, which turns a GitLab project path
 * into the URLs that the built-in fetch and publish actions take, using the
 * host of `integrations.gitlab`, so templates name no host. With
 * `minimumAccessLevel` it also checks the initiator's role on the project.
 * @public
 */
export function createProjectLocateAction(options: RunnerFleetActionOptions) {
  const { integrations, permissions } = options;
  return createTemplateAction({
    id: 'runner-fleet:project:locate',
    description:
      'Returns the repository URL, web URL and default branch of a GitLab project on the configured GitLab host',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const host = resolveGitlabHost(integrations, input.host);
      const { api, baseUrl } = connectGitlab(integrations, host);
      const slash = input.project.lastIndexOf('/');
      const owner = slash > 0 ? input.project.slice(0, slash) : input.project;
      const repo = input.project.slice(slash + 1);
      const webUrl = `${baseUrl.replace(/\/+$/, '')}/${input.project}`;

      let defaultBranch = 'main';
      if (!ctx.isDryRun) {
        if (input.minimumAccessLevel > 0) {
          await authorizeRunnerRequest({
            permissions,
            credentials: await ctx.getInitiatorCredentials(),
            user: ctx.user,
            gitlab: api,
            target: { kind: 'project', path: input.project },
            minimumAccessLevel: input.minimumAccessLevel,
          });
        }
        try {
          const project = await api.Projects.show(input.project);
          defaultBranch = String(project.default_branch ?? 'main');
        } catch (error) {
          throw sanitizeGitlabError(`project lookup for ${input.project}`, error);
        }
      }

      ctx.output('repoUrl', `${host}?owner=${encodeURIComponent(owner)}&repo=${encodeURIComponent(repo)}`);
      ctx.output('webUrl', webUrl);
      ctx.output('defaultBranch', defaultBranch);
      ctx.output('treeUrl', `${webUrl}/-/tree/${defaultBranch}`);
    },
  });
}
