import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { exampleEntities, userEntity } from '../__testUtils__/catalog';
import { createRecordingContext } from '../__testUtils__/context';
import { gitlabIntegrationConfig } from '../__testUtils__/gitlab';
import { createFleetAddClusterAction } from './fleetAddCluster';

const FLEET_FILE = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: fleet-k8s-default
spec:
  type: gitlab-runner-fleet
  # v3 replaces v2 during the upgrade
  clusters:
    - ref: cluster-default-v2
      role: draining
    - ref: cluster-default-v3
      role: active
`;

const action = createFleetAddClusterAction({
  catalog: catalogServiceMock({ entities: exampleEntities }),
  integrations: ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig)),
  permissions: mockServices.permissions(),
});

const platformMember = userEntity('pat', { memberOf: ['group:default/platform-team'] });
const input = {
  fleet: 'resource:default/fleet-k8s-default',
  cluster: 'resource:default/cluster-default-v4',
  drainCluster: 'resource:default/cluster-default-v3',
  fleetEntityPath: 'catalog/fleet-k8s-default.yaml',
  concurrent: 50,
};

async function setup(overrides: Record<string, unknown> = {}) {
  const context = createRecordingContext({ input: { ...input, ...overrides }, user: platformMember });
  const file = path.join(context.workspacePath, input.fleetEntityPath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, FLEET_FILE, 'utf8');
  return { ...context, file };
}

describe('runner-fleet:fleet:add-cluster', () => {
  it('needs the new cluster in a hardware pool', async () => {
    const { ctx } = await setup();

    await expect(action.handler(ctx)).rejects.toThrow(
      "cluster resource:default/cluster-default-v4 belongs to no hardware pool; add it to a pool's spec.clusters first",
    );
  });

  it('adds the cluster, renders its deployment and lists drain steps', async () => {
    const entities = exampleEntities.map(e =>
      e.metadata.name === 'pool-general-x86'
        ? { ...e, spec: { ...e.spec, clusters: [...((e.spec as any).clusters as string[]), 'cluster-default-v4'] } }
        : e,
    );
    const withPool = createFleetAddClusterAction({
      catalog: catalogServiceMock({ entities }),
      integrations: ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig)),
      permissions: mockServices.permissions(),
    });
    const { ctx, record, file, workspacePath } = await setup();
    await withPool.handler(ctx);

    const entity = parseYaml(await fs.readFile(file, 'utf8'));
    expect(entity.spec.clusters).toEqual([
      { ref: 'cluster-default-v2', role: 'draining' },
      { ref: 'cluster-default-v3', role: 'draining' },
      { ref: 'resource:default/cluster-default-v4', role: 'active' },
    ]);
    expect(await fs.readFile(file, 'utf8')).toContain('# v3 replaces v2 during the upgrade');

    const dir = path.join(workspacePath, 'clusters/cluster-default-v4/fleet-k8s-default');
    const values = parseYaml(await fs.readFile(path.join(dir, 'values.yaml'), 'utf8'));
    const config = parseToml(values.runners.config) as any;
    expect(values.concurrent).toBe(50);
    expect(config.runners[0].name).toBe('k8s-default @ cluster-default-v4');
    const runner = parseYaml(await fs.readFile(path.join(dir, 'runner.yaml'), 'utf8'));
    expect(runner).toMatchObject({
      kind: 'InstanceRunner',
      tags: ['k8s-default'],
      runUntagged: true,
      secretName: values.runners.secret,
    });

    const steps = record.outputs.drainSteps as string[];
    expect(steps).toHaveLength(6);
    expect(steps[2]).toContain('Pause the runners of resource:default/cluster-default-v3');
    expect(record.outputs.mergeRequestDescription).toContain('### Drain and decommission');
  });

  it.each([
    [{ cluster: 'cluster-default-v3', drainCluster: undefined }, 'cluster resource:default/cluster-default-v3 already belongs to resource:default/fleet-k8s-default'],
    [{ drainCluster: 'cluster-arm' }, 'drainCluster resource:default/cluster-arm is not a cluster of resource:default/fleet-k8s-default'],
    [{ cluster: 'cluster-missing' }, 'cluster resource:default/cluster-missing was not found in the catalog'],
  ])('rejects %j', async (override, message) => {
    const { ctx } = await setup(override);

    await expect(action.handler(ctx)).rejects.toThrow(message);
  });
});
