import { mockServices, registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { setupServer } from 'msw/node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { exampleEntities, userEntity } from '../__testUtils__/catalog';
import { createRecordingContext } from '../__testUtils__/context';
import {
  type FakeGitlabState,
  createGitlabState,
  gitlabHandlers,
  gitlabIntegrationConfig,
} from '../__testUtils__/gitlab';
import { createRunnerCreateAction } from './runnerCreate';

const server = setupServer();
registerMswTestHooks(server);

const integrations = ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig));
const alice = userEntity('alice', { memberOf: ['group:default/physics'] });

let state: FakeGitlabState;
beforeEach(() => {
  state = createGitlabState();
  server.use(...gitlabHandlers(state));
});

function makeAction(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  return createRunnerCreateAction({
    catalog: catalogServiceMock({ entities: exampleEntities }),
    integrations,
    permissions: mockServices.permissions({ result }),
  });
}

const input = {
  pool: 'resource:default/pool-gpu',
  targetKind: 'project',
  targetPath: 'physics/atlas-analysis',
  tags: ['gpu', 'atlas-a100'],
  description: 'physics/atlas-analysis @ pool-gpu',
};

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...(await listFiles(full)));
    } else {
      files.push(full);
    }
  }
  return files;
}

describe('runner-fleet:runner:create', () => {
  it('creates the runner with GitLab payload fields', async () => {
    const { ctx, record } = createRecordingContext({ input, user: alice });
    await makeAction().handler(ctx);

    const create = state.requests.find(r => r.method === 'POST' && r.path === '/api/v4/user/runners');
    expect(create?.body).toMatchObject({
      runner_type: 'project_type',
      project_id: 501,
      description: 'physics/atlas-analysis @ pool-gpu',
      tag_list: ['gpu', 'atlas-a100'],
      run_untagged: false,
      locked: true,
      access_level: 'not_protected',
    });
    expect(record.outputs).toEqual({
      runnerId: 7001,
      variableKey: 'RUNNER_TOKEN_PHYSICS_ATLAS_ANALYSIS_POOL_GPU',
      variableProject: 'platform/runner-infrastructure',
    });
  });

  it('stores the token as a masked, protected, raw variable', async () => {
    const { ctx } = createRecordingContext({ input, user: alice });
    await makeAction().handler(ctx);

    const post = state.requests.find(r => r.method === 'POST' && r.path.endsWith('/variables'));
    expect(post?.path).toBe('/api/v4/projects/platform%2Frunner-infrastructure/variables');
    expect(post?.body).toMatchObject({
      key: 'RUNNER_TOKEN_PHYSICS_ATLAS_ANALYSIS_POOL_GPU',
      value: state.nextRunnerToken,
      masked: true,
      protected: true,
      raw: true,
      variable_type: 'env_var',
    });
  });

  it('keeps the token out of logs, outputs, checkpoints and files', async () => {
    const { ctx, record, workspacePath } = createRecordingContext({ input, user: alice });
    await makeAction().handler(ctx);
    const token = state.nextRunnerToken;

    expect(record.logs.length).toBeGreaterThan(0);
    expect(record.logs.join('\n')).not.toContain(token);
    expect(JSON.stringify(record.outputs)).not.toContain(token);
    expect(record.checkpoints).toHaveLength(1);
    expect(JSON.stringify(record.checkpoints)).not.toContain(token);
    expect(record.checkpoints[0]).toEqual({
      key: 'runner-create:project:501:platform/runner-infrastructure:RUNNER_TOKEN_PHYSICS_ATLAS_ANALYSIS_POOL_GPU',
      value: 7001,
    });
    for (const file of await listFiles(workspacePath)) {
      expect(await fs.readFile(file, 'utf8')).not.toContain(token);
    }
    const tokenRequests = state.requests.filter(r => JSON.stringify(r.body ?? '').includes(token));
    expect(tokenRequests.map(r => r.path)).toEqual([
      '/api/v4/projects/platform%2Frunner-infrastructure/variables',
    ]);
  });

  it('deletes the runner and hides the token when storing fails', async () => {
    state.failVariableCreate = 400;
    const { ctx, record } = createRecordingContext({ input, user: alice });
    const error = (await makeAction()
      .handler(ctx)
      .then(() => undefined, e => e)) as Error;
    const token = state.nextRunnerToken;

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/storing the runner token in platform\/runner-infrastructure failed with HTTP 400/);
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String(error.stack)).not.toContain(token);
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    expect(state.runners).toEqual([]);
    expect(state.requests.some(r => r.method === 'DELETE' && r.path === '/api/v4/runners/7001')).toBe(true);
    expect(record.logs.join('\n')).not.toContain(token);
    expect(JSON.stringify(record.checkpoints)).not.toContain(token);
    expect(record.outputs).toEqual({});
  });

  it('creates a group runner for group owners', async () => {
    const { ctx, record } = createRecordingContext({
      input: { ...input, targetKind: 'group', targetPath: 'ml', pool: 'resource:default/pool-arm64', tags: ['arm64'] },
      user: alice,
    });
    await makeAction().handler(ctx);

    const create = state.requests.find(r => r.path === '/api/v4/user/runners');
    expect(create?.body).toMatchObject({ runner_type: 'group_type', group_id: 31 });
    expect(record.outputs.variableKey).toBe('RUNNER_TOKEN_ML_POOL_ARM64');
  });

  it('refuses an existing variable key before creating a runner', async () => {
    state.variables[900].RUNNER_TOKEN_TAKEN = { value: 'old', masked: true, protected: true };
    const { ctx } = createRecordingContext({ input: { ...input, variableKey: 'RUNNER_TOKEN_TAKEN' }, user: alice });

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      /variableKey RUNNER_TOKEN_TAKEN already exists in platform\/runner-infrastructure/,
    );
    expect(state.runners).toEqual([]);
  });

  it('does not call GitLab in a dry run', async () => {
    const { ctx, record } = createRecordingContext({ input, user: alice, isDryRun: true });
    await makeAction().handler(ctx);

    expect(state.requests).toEqual([]);
    expect(record.checkpoints).toEqual([]);
    expect(record.outputs).toEqual({
      runnerId: 0,
      variableKey: 'RUNNER_TOKEN_PHYSICS_ATLAS_ANALYSIS_POOL_GPU',
      variableProject: 'platform/runner-infrastructure',
    });
  });
});

describe('runner-fleet:runner:create permissions', () => {
  it('denies when the permission policy denies', async () => {
    const { ctx } = createRecordingContext({ input, user: alice });

    await expect(makeAction(AuthorizeResult.DENY).handler(ctx)).rejects.toThrow(
      'user:default/alice may not request runners: the permission policy denied runner-fleet.runner.request',
    );
    expect(state.requests).toEqual([]);
  });

  it('denies a Developer of the project', async () => {
    const { ctx } = createRecordingContext({ input, user: userEntity('bob') });

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      'bob is a Developer of GitLab project physics/atlas-analysis; only Owners may request runners for it',
    );
    expect(state.runners).toEqual([]);
  });

  it('maps the user through the gitlab.com/username annotation', async () => {
    const { ctx } = createRecordingContext({
      input,
      user: userEntity('carol', { gitlabUsername: 'carol.gl' }),
    });

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      'carol.gl is a Maintainer of GitLab project physics/atlas-analysis',
    );
    expect(state.requests.some(r => r.path === '/api/v4/users?username=carol.gl')).toBe(true);
  });

  it('denies non-members and unknown GitLab users', async () => {
    const { ctx } = createRecordingContext({
      input: { ...input, targetPath: 'hardware/trigger-firmware', pool: 'resource:default/pool-gpu' },
      user: userEntity('bob'),
    });
    await expect(makeAction().handler(ctx)).rejects.toThrow(
      'bob is not a member of GitLab project hardware/trigger-firmware',
    );

    const unknown = createRecordingContext({ input, user: userEntity('mallory') });
    await expect(makeAction().handler(unknown.ctx)).rejects.toThrow(
      /GitLab has no user named mallory \(from user:default\/mallory\)/,
    );
  });

  it('refuses restricted pools', async () => {
    const { ctx } = createRecordingContext({
      input: { ...input, pool: 'resource:default/pool-fpga', tags: ['fpga'] },
      user: alice,
    });

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      'pool resource:default/pool-fpga is restricted, so runners on it need approval; use runner-fleet:request:create instead',
    );
    expect(state.requests).toEqual([]);
  });
});

describe('runner-fleet:runner:create validation', () => {
  it.each([
    [{ tags: ['ok', 'bad tag'] }, /tags\.1: must start with a letter or digit/],
    [{ tags: ['a,b'] }, /tags\.0: must start with a letter or digit/],
    [{ tags: [] }, /tags: must list at least one tag/],
    [{ tags: ['gpu', 'gpu'] }, /tags: must not repeat a tag/],
    [{ targetPath: 'physics/../etc' }, /targetPath: must be a GitLab project or group path/],
    [{ description: 'two\nlines' }, /description: must be one line/],
    [{ description: '{{ .Values.x }}' }, /description: must be one line without control characters and without \{\{ or \}\}/],
    [{ variableKey: 'BAD-KEY' }, /variableKey: must contain only letters, digits and _/],
    [{ pool: 'resource:default/pool-missing' }, /pool resource:default\/pool-missing was not found in the catalog/],
    [{ pool: 'resource:default/fleet-k8s-arm' }, /pool resource:default\/fleet-k8s-arm is not a resource of type hardware-pool/],
  ])('rejects %j', async (override, message) => {
    const { ctx } = createRecordingContext({ input: { ...input, ...override }, user: alice });

    await expect(makeAction().handler(ctx)).rejects.toThrow(message);
    expect(state.runners).toEqual([]);
  });
});
