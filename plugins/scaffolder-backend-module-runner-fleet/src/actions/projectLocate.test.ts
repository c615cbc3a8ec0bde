import { mockServices, registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { setupServer } from 'msw/node';
import { userEntity } from '../__testUtils__/catalog';
import { createRecordingContext } from '../__testUtils__/context';
import {
  type FakeGitlabState,
  createGitlabState,
  gitlabHandlers,
  gitlabIntegrationConfig,
} from '../__testUtils__/gitlab';
import { createProjectLocateAction } from './projectLocate';

const server = setupServer();
registerMswTestHooks(server);

let state: FakeGitlabState;
beforeEach(() => {
  state = createGitlabState();
  server.use(...gitlabHandlers(state));
});

const action = createProjectLocateAction({
  catalog: catalogServiceMock(),
  integrations: ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig)),
  permissions: mockServices.permissions(),
});

describe('runner-fleet:project:locate', () => {
  it('returns URLs on the configured host and the default branch', async () => {
    const { ctx, record } = createRecordingContext({ input: { project: 'physics/atlas-analysis' } });
    await action.handler(ctx);

    expect(record.outputs).toEqual({
      repoUrl: '127.0.0.1:65530?owner=physics&repo=atlas-analysis',
      webUrl: 'http://127.0.0.1:65530/physics/atlas-analysis',
      defaultBranch: 'master',
      treeUrl: 'http://127.0.0.1:65530/physics/atlas-analysis/-/tree/master',
    });
  });

  it('checks the role when asked', async () => {
    const developer = createRecordingContext({
      input: { project: 'physics/atlas-analysis', minimumAccessLevel: 30 },
      user: userEntity('bob'),
    });
    await action.handler(developer.ctx);
    expect(developer.record.outputs.defaultBranch).toBe('master');

    const outsider = createRecordingContext({
      input: { project: 'hardware/trigger-firmware', minimumAccessLevel: 30 },
      user: userEntity('bob'),
    });
    await expect(action.handler(outsider.ctx)).rejects.toThrow(
      'bob is not a member of GitLab project hardware/trigger-firmware; this needs the Developer role or higher',
    );
  });

  it('reports a missing project', async () => {
    const { ctx } = createRecordingContext({ input: { project: 'physics/missing' } });

    await expect(action.handler(ctx)).rejects.toThrow(
      /GitLab project lookup for physics\/missing failed with HTTP 404/,
    );
  });

  it('calls no GitLab endpoint in a dry run', async () => {
    const { ctx, record } = createRecordingContext({
      input: { project: 'platform/runner-infrastructure', minimumAccessLevel: 50 },
      isDryRun: true,
    });
    await action.handler(ctx);

    expect(state.requests).toEqual([]);
    expect(record.outputs.defaultBranch).toBe('main');
  });
});
