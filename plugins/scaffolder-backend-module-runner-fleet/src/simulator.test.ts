import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type RunningGitLabSimulator,
  startGitLabSimulator,
} from '@runner-fleet/gitlab-simulator';
import { createRunnerCreateAction } from './actions/runnerCreate';
import { createProjectLocateAction } from './actions/projectLocate';
import { exampleEntities, userEntity } from './__testUtils__/catalog';
import { createRecordingContext } from './__testUtils__/context';

// Runs the actions against the GitLab simulator on 127.0.0.1, so request
// shapes and GitLab's permission rules come from a real HTTP server.
let simulator: RunningGitLabSimulator;
let projectPath: string;

beforeAll(async () => {
  simulator = await startGitLabSimulator({ port: 0, projects: 20, logLevel: 'error' });
  const response = await fetch(`${simulator.url}/api/v4/groups/physics/projects?per_page=1`, {
    headers: { 'PRIVATE-TOKEN': simulator.token },
  });
  const [project] = (await response.json()) as Array<{ path_with_namespace: string }>;
  projectPath = project.path_with_namespace;
}, 60_000);

afterAll(async () => {
  await simulator?.close();
});

function options() {
  const url = new URL(simulator.url);
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: url.host,
            apiBaseUrl: `${simulator.url}/api/v4`,
            baseUrl: simulator.url,
            token: simulator.token,
          },
        ],
      },
    }),
  );
  return {
    catalog: catalogServiceMock({ entities: exampleEntities }),
    integrations,
    permissions: mockServices.permissions(),
  };
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${simulator.url}/api/v4${path}`, {
    headers: { 'PRIVATE-TOKEN': simulator.token },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('actions against the GitLab simulator', () => {
  it('creates a runner and stores its token as a masked variable', async () => {
    const { ctx, record } = createRecordingContext({
      input: {
        pool: 'resource:default/pool-arm64',
        targetKind: 'project',
        targetPath: projectPath,
        tags: ['arm64', 'physics-arm'],
        description: `${projectPath} @ pool-arm64`,
        variableProject: 'platform/runner-infrastructure',
      },
      user: userEntity('alice'),
    });
    await createRunnerCreateAction(options()).handler(ctx);

    const runnerId = record.outputs.runnerId as number;
    const runner = await api<{ description: string; tag_list: string[]; run_untagged: boolean }>(
      `/runners/${runnerId}`,
    );
    expect(runner.description).toBe(`${projectPath} @ pool-arm64`);
    expect([...runner.tag_list].sort()).toEqual(['arm64', 'physics-arm']);
    expect(runner.run_untagged).toBe(false);

    const variable = await api<{ masked: boolean; protected: boolean; value: string }>(
      `/projects/${encodeURIComponent('platform/runner-infrastructure')}/variables/${record.outputs.variableKey}`,
    );
    expect(variable.masked).toBe(true);
    expect(variable.protected).toBe(true);
    expect(variable.value).toMatch(/^glrt-/);
    expect(record.logs.join('\n')).not.toContain(variable.value);
    expect(JSON.stringify(record.outputs)).not.toContain(variable.value);
  });

  it('denies a developer of the group', async () => {
    const { ctx } = createRecordingContext({
      input: {
        pool: 'resource:default/pool-arm64',
        targetKind: 'group',
        targetPath: 'physics',
        tags: ['arm64'],
        description: 'physics @ pool-arm64',
        variableProject: projectPath,
      },
      user: userEntity('frank'),
    });

    await expect(createRunnerCreateAction(options()).handler(ctx)).rejects.toThrow(
      'frank is a Developer of GitLab group physics; only Owners may request runners for it',
    );
  });

  it('locates a project and its default branch', async () => {
    const { ctx, record } = createRecordingContext({ input: { project: projectPath } });
    await createProjectLocateAction(options()).handler(ctx);

    expect(record.outputs.webUrl).toBe(`${simulator.url}/${projectPath}`);
    expect(typeof record.outputs.defaultBranch).toBe('string');
  });
});
