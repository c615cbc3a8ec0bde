import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { exampleEntities, userEntity } from '../__testUtils__/catalog';
import { createRecordingContext } from '../__testUtils__/context';
import { gitlabIntegrationConfig } from '../__testUtils__/gitlab';
import { createFleetLendAction } from './fleetLend';

const FLEETS_FILE = `# Fleets of the platform team
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: fleet-k8s-default
spec:
  type: gitlab-runner-fleet
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: fleet-qa-k8s-default
spec:
  type: gitlab-runner-fleet
  tags: [k8s-default, qa] # keep in sync with GitLab
  access: restricted
`;

const platformMember = userEntity('pat', { memberOf: ['group:default/platform-team'] });

function makeAction(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  return createFleetLendAction({
    catalog: catalogServiceMock({ entities: exampleEntities }),
    integrations: ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig)),
    permissions: mockServices.permissions({ result }),
    now: () => new Date('2026-12-04T12:00:00Z'),
  });
}

const input = {
  fleet: 'resource:default/fleet-qa-k8s-default',
  borrower: 'fleet-k8s-default',
  until: '2026-12-11',
  reason: 'Default fleet lost nodes in an outage',
  fleetEntityPath: 'catalog/fleets.yaml',
};

async function setup(overrides: Record<string, unknown> = {}, user = platformMember) {
  const context = createRecordingContext({ input: { ...input, ...overrides }, user });
  const file = path.join(context.workspacePath, 'catalog/fleets.yaml');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, FLEETS_FILE, 'utf8');
  return { ...context, file };
}

describe('runner-fleet:fleet:lend', () => {
  it('sets spec.lentTo and keeps comments and other documents', async () => {
    const { ctx, file } = await setup();
    await makeAction().handler(ctx);

    const text = await fs.readFile(file, 'utf8');
    const documents = parseAllDocuments(text).map(d => d.toJS());
    expect(documents).toHaveLength(2);
    expect(documents[0].spec).toEqual({ type: 'gitlab-runner-fleet' });
    expect(documents[1].spec.lentTo).toEqual({
      fleet: 'resource:default/fleet-k8s-default',
      until: '2026-12-11',
      reason: 'Default fleet lost nodes in an outage',
    });
    expect(text).toContain('# Fleets of the platform team');
    expect(text).toContain('# keep in sync with GitLab');
  });

  it('writes the runner change with its revert', async () => {
    const { ctx, record, workspacePath } = await setup();
    await makeAction().handler(ctx);

    const change = parseYaml(
      await fs.readFile(path.join(workspacePath, 'runner-changes/fleet-qa-k8s-default-lend.yaml'), 'utf8'),
    );
    expect(change).toEqual({
      apiVersion: 'runner-fleet.io/v1alpha1',
      kind: 'RunnerChange',
      reason: 'Default fleet lost nodes in an outage',
      fleet: 'resource:default/fleet-qa-k8s-default',
      lentTo: 'resource:default/fleet-k8s-default',
      runnerIds: [201, 202],
      apply: { tagList: ['k8s-default', 'qa'], runUntagged: true },
      revertAt: '2026-12-11T23:59:59.000Z',
      revert: { tagList: ['k8s-default', 'qa'], runUntagged: false },
    });
    expect(record.outputs.runnerIds).toEqual([201, 202]);
    expect(record.outputs.mergeRequestDescription).toContain('until 2026-12-11 (UTC)');
  });

  it.each([
    [{ until: '2026-12-01' }, 'until 2026-12-01 is in the past'],
    [{ until: '2027-02-01' }, 'until 2027-02-01 is more than 30 days ahead'],
    [{ until: '11/12/2026' }, 'until: must be a date in the form YYYY-MM-DD'],
    [{ borrower: 'fleet-qa-k8s-default' }, 'borrower resource:default/fleet-qa-k8s-default must differ from fleet'],
    [{ borrower: 'pool-gpu' }, 'borrower resource:default/pool-gpu is not a gitlab-runner-fleet resource'],
    [{ fleetEntityPath: 'catalog/missing.yaml' }, 'fleetEntityPath catalog/missing.yaml does not exist in the workspace'],
    [{ reason: 'outage\n{{ x }}' }, 'reason: must be one line'],
  ])('rejects %j', async (override, message) => {
    const { ctx } = await setup(override);

    await expect(makeAction().handler(ctx)).rejects.toThrow(message);
  });

  it('denies users outside the owner group', async () => {
    const { ctx, file } = await setup({}, userEntity('alice', { memberOf: ['group:default/physics'] }));

    await expect(makeAction().handler(ctx)).rejects.toThrow(
      'user:default/alice is not a member of group:default/platform-team, which owns resource:default/fleet-qa-k8s-default',
    );
    expect(await fs.readFile(file, 'utf8')).toBe(FLEETS_FILE);
  });

  it('denies when the permission policy denies', async () => {
    const { ctx } = await setup();

    await expect(makeAction(AuthorizeResult.DENY).handler(ctx)).rejects.toThrow(
      /permission policy denied runner-fleet\.runner\.request/,
    );
  });
});
