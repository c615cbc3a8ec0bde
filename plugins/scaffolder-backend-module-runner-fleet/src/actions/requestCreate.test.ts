import { mockServices, registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { setupServer } from 'msw/node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exampleEntities, userEntity } from '../__testUtils__/catalog';
import { createRecordingContext } from '../__testUtils__/context';
import {
  type FakeGitlabState,
  createGitlabState,
  gitlabHandlers,
  gitlabIntegrationConfig,
} from '../__testUtils__/gitlab';
import { createRequestCreateAction } from './requestCreate';

const server = setupServer();
registerMswTestHooks(server);

const integrations = ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig));
const alice = userEntity('alice');

let state: FakeGitlabState;
beforeEach(() => {
  state = createGitlabState();
  server.use(...gitlabHandlers(state));
});

function makeAction(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  return createRequestCreateAction({
    catalog: catalogServiceMock({ entities: exampleEntities }),
    integrations,
    permissions: mockServices.permissions({ result }),
  });
}

const fpgaInput = {
  pool: 'resource:default/pool-fpga',
  targetKind: 'project',
  targetPath: 'hardware/trigger-firmware',
  tags: ['fpga', 'trigger-u55c'],
  description: 'hardware/trigger-firmware @ pool-fpga',
  cpu: 8,
  memoryGiB: 32,
  accelerators: 1,
  justification: 'Nightly synthesis needs a U55C card.\n| injected | row |\n# heading',
};

describe('runner-fleet:request:create', () => {
  it('writes a request for approval on restricted pools', async () => {
    const { ctx, record, workspacePath } = createRecordingContext({ input: fpgaInput, user: alice });
    await makeAction().handler(ctx);

    expect(record.outputs).toMatchObject({
      approvalRequired: true,
      poolAccess: 'restricted',
      poolName: 'pool-fpga',
      directory: 'requests/pool-fpga/hardware-trigger-firmware-pool-fpga',
      valuesPath: 'requests/pool-fpga/hardware-trigger-firmware-pool-fpga/values.yaml',
      secretName: 'gitlab-runner-hardware-trigger-firmware-pool-fpga',
      variableKey: 'RUNNER_TOKEN_HARDWARE_TRIGGER_FIRMWARE_POOL_FPGA',
      branchName: 'runner-request/hardware-trigger-firmware-pool-fpga',
      mergeRequestTitle: 'Request pool-fpga runner for hardware/trigger-firmware',
    });
    const dir = path.join(workspacePath, 'requests/pool-fpga/hardware-trigger-firmware-pool-fpga');
    const request = parseYaml(await fs.readFile(path.join(dir, 'request.yaml'), 'utf8'));
    expect(request).toEqual({
      apiVersion: 'runner-fleet.io/v1alpha1',
      kind: 'RunnerRequest',
      requestedBy: 'user:default/alice (GitLab alice)',
      target: { kind: 'project', path: 'hardware/trigger-firmware' },
      pool: 'resource:default/pool-fpga',
      runner: {
        description: 'hardware/trigger-firmware @ pool-fpga',
        tags: ['fpga', 'trigger-u55c'],
        runUntagged: false,
      },
      resources: { cpu: 8, memoryGiB: 32, accelerators: 1, cvmfs: false },
      justification: fpgaInput.justification,
    });
    const markdown = await fs.readFile(path.join(dir, 'REQUEST.md'), 'utf8');
    expect(markdown).toContain('> | injected | row |\n> # heading');
    expect(markdown).toContain('1 × AMD Alveo U55C');
  });

  it('lets open pools go ahead without writing files', async () => {
    const { ctx, record, workspacePath } = createRecordingContext({
      input: { ...fpgaInput, pool: 'resource:default/pool-arm64', accelerators: 0, tags: ['arm64'] },
      user: alice,
    });
    await makeAction().handler(ctx);

    expect(record.outputs.approvalRequired).toBe(false);
    expect(record.outputs.poolAccess).toBe('open');
    expect(record.outputs.directory).toBe('runners/pool-arm64/hardware-trigger-firmware-pool-arm64');
    await expect(fs.readdir(workspacePath)).rejects.toThrow();
  });

  it('treats on-request pools as self-service', async () => {
    const { ctx, record } = createRecordingContext({
      input: { ...fpgaInput, pool: 'resource:default/pool-gpu', tags: ['gpu'] },
      user: alice,
    });
    await makeAction().handler(ctx);

    expect(record.outputs.approvalRequired).toBe(false);
    expect(record.outputs.poolAccess).toBe('on-request');
  });

  it('rejects requests above the pool limits', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cpu: 33 }, 'resources.cpu 33 exceeds the 32 vCPUs of one node in resource:default/pool-fpga; request at most 32'],
      [{ memoryGiB: 129 }, 'resources.memoryGiB 129 exceeds the 128 GiB of one node'],
      [{ accelerators: 3 }, 'resources.accelerators 3 exceeds the 2 accelerators of one node'],
      [{ pool: 'resource:default/pool-spark', accelerators: 1 }, 'resource:default/pool-spark has no accelerators; set it to 0'],
    ];
    for (const [override, message] of cases) {
      const { ctx } = createRecordingContext({ input: { ...fpgaInput, ...override }, user: alice });
      await expect(makeAction().handler(ctx)).rejects.toThrow(message);
    }
    expect(state.requests).toEqual([]);
  });

  it('rejects a short justification', async () => {
    const { ctx } = createRecordingContext({ input: { ...fpgaInput, justification: 'need it' }, user: alice });

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      /justification: must explain the need in at least 20 characters/,
    );
  });

  it('denies non-owners and says why', async () => {
    const { ctx, workspacePath } = createRecordingContext({ input: fpgaInput, user: userEntity('bob') });

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      'bob is not a member of GitLab project hardware/trigger-firmware; only Owners may request runners for it',
    );
    await expect(fs.readdir(workspacePath)).rejects.toThrow();
  });

  it('denies when the permission policy denies', async () => {
    const { ctx } = createRecordingContext({ input: fpgaInput, user: alice });

    await expect(makeAction(AuthorizeResult.DENY).handler(ctx)).rejects.toThrow(
      /permission policy denied runner-fleet\.runner\.request/,
    );
  });

  it('skips GitLab in a dry run but still validates', async () => {
    const { ctx, record } = createRecordingContext({ input: fpgaInput, user: alice, isDryRun: true });
    await makeAction().handler(ctx);

    expect(state.requests).toEqual([]);
    expect(record.outputs.approvalRequired).toBe(true);
  });
});
