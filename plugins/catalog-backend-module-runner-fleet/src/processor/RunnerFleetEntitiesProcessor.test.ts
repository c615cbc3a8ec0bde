import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type {
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { RunnerFleetEntitiesProcessor } from './RunnerFleetEntitiesProcessor';

const location: LocationSpec = {
  type: 'file',
  target: '/catalog/fleets.yaml',
};

function fleet(
  name: string,
  spec: Record<string, unknown> = {},
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      type: 'gitlab-runner-fleet',
      owner: 'group:default/platform-team',
      lifecycle: 'production',
      executor: 'kubernetes',
      tags: ['k8s-default'],
      runUntagged: false,
      access: 'open',
      concurrency: 200,
      architecture: 'amd64',
      ...spec,
    },
  };
}

function pool(name: string, spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name },
    spec: {
      type: 'hardware-pool',
      owner: 'group:default/platform-team',
      architecture: 'amd64',
      nodes: { count: 40, cpu: 64, memoryGiB: 256 },
      ...spec,
    },
  };
}

function component(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'atlas-analysis', annotations },
    spec: { type: 'service', owner: 'physics', lifecycle: 'production' },
  };
}

async function process(
  entity: Entity,
  now = new Date('2026-12-04T12:00:00Z'),
): Promise<{ relations: string[]; errors: Error[]; output: Entity }> {
  const processor = new RunnerFleetEntitiesProcessor({ now: () => now });
  const results: CatalogProcessorResult[] = [];
  const output = await processor.postProcessEntity(entity, location, r =>
    results.push(r),
  );
  const relations: string[] = [];
  const errors: Error[] = [];
  for (const result of results) {
    if (result.type === 'relation') {
      const { source, type, target } = result.relation;
      relations.push(
        `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(target)}`,
      );
    } else if (result.type === 'error') {
      expect(result.location).toBe(location);
      errors.push(result.error);
    } else {
      throw new Error(`unexpected processing result ${result.type}`);
    }
  }
  return { relations, errors, output };
}

describe('RunnerFleetEntitiesProcessor', () => {
  it('relates a fleet to both clusters during an upgrade', async () => {
    const { relations, errors } = await process(
      fleet('fleet-k8s-default', {
        runUntagged: true,
        clusters: [
          { ref: 'cluster-default-v2', role: 'draining' },
          { ref: 'resource:default/cluster-default-v3', role: 'active' },
        ],
      }),
    );

    expect(errors).toEqual([]);
    expect(relations).toEqual([
      'resource:default/fleet-k8s-default dependsOn resource:default/cluster-default-v2',
      'resource:default/cluster-default-v2 dependencyOf resource:default/fleet-k8s-default',
      'resource:default/fleet-k8s-default dependsOn resource:default/cluster-default-v3',
      'resource:default/cluster-default-v3 dependencyOf resource:default/fleet-k8s-default',
    ]);
  });

  it('returns the entity unchanged', async () => {
    const entity = fleet('fleet-k8s-arm', {
      clusters: [{ ref: 'cluster-arm' }],
    });
    const copy = JSON.parse(JSON.stringify(entity));
    const { output } = await process(entity);
    expect(output).toEqual(copy);
  });

  it('resolves short cluster names in the fleet namespace', async () => {
    const { relations } = await process(
      fleet('fleet-qa', { clusters: [{ ref: 'cluster-qa' }] }, 'qa'),
    );
    expect(relations).toEqual([
      'resource:qa/fleet-qa dependsOn resource:qa/cluster-qa',
      'resource:qa/cluster-qa dependencyOf resource:qa/fleet-qa',
    ]);
  });

  it('relates a QA fleet lent to production', async () => {
    const { relations, errors } = await process(
      fleet('fleet-qa-k8s-default', {
        tags: ['k8s-default', 'qa'],
        access: 'restricted',
        clusters: [{ ref: 'cluster-qa', role: 'active' }],
        lentTo: {
          fleet: 'fleet-k8s-default',
          until: '2026-12-18',
          reason: 'Cover the cluster-default-v2 drain',
        },
      }),
    );

    expect(errors).toEqual([]);
    expect(relations).toContain(
      'resource:default/fleet-qa-k8s-default lentTo resource:default/fleet-k8s-default',
    );
    expect(relations).toContain(
      'resource:default/fleet-k8s-default borrowsFrom resource:default/fleet-qa-k8s-default',
    );
    expect(relations).toContain(
      'resource:default/fleet-qa-k8s-default dependsOn resource:default/cluster-qa',
    );
    expect(relations).toHaveLength(4);
  });

  it('keeps a lend through its last day', async () => {
    const entity = fleet('fleet-qa-k8s-default', {
      lentTo: { fleet: 'fleet-k8s-default', until: '2026-12-18' },
    });
    const lastDay = await process(entity, new Date('2026-12-18T23:59:59Z'));
    const dayAfter = await process(entity, new Date('2026-12-19T00:00:00Z'));

    expect(lastDay.relations).toHaveLength(2);
    expect(dayAfter.relations).toEqual([]);
    expect(dayAfter.errors).toEqual([]);
  });

  it('rejects a fleet lent to itself', async () => {
    const { relations, errors } = await process(
      fleet('fleet-qa-k8s-default', {
        lentTo: {
          fleet: 'resource:default/fleet-qa-k8s-default',
          until: '2026-12-18',
        },
      }),
    );
    expect(relations).toEqual([]);
    expect(errors.map(e => e.message)).toEqual([
      'spec.lentTo.fleet is "resource:default/fleet-qa-k8s-default", which is this fleet itself. Name the fleet that borrows the runners, or remove spec.lentTo.',
    ]);
  });

  it('relates a pool to its clusters', async () => {
    const { relations, errors } = await process(
      pool('pool-general-x86', {
        clusters: ['cluster-default-v2', 'cluster-default-v3'],
      }),
    );
    expect(errors).toEqual([]);
    expect(relations).toEqual([
      'resource:default/cluster-default-v2 dependsOn resource:default/pool-general-x86',
      'resource:default/pool-general-x86 dependencyOf resource:default/cluster-default-v2',
      'resource:default/cluster-default-v3 dependsOn resource:default/pool-general-x86',
      'resource:default/pool-general-x86 dependencyOf resource:default/cluster-default-v3',
    ]);
  });

  it('relates a component to fleets from its annotation', async () => {
    const { relations, errors } = await process(
      component({
        'runner-fleet.io/fleets':
          'fleet-k8s-default, resource:default/fleet-k8s-arm',
      }),
    );
    expect(errors).toEqual([]);
    expect(relations).toEqual([
      'component:default/atlas-analysis dependsOn resource:default/fleet-k8s-default',
      'resource:default/fleet-k8s-default dependencyOf component:default/atlas-analysis',
      'component:default/atlas-analysis dependsOn resource:default/fleet-k8s-arm',
      'resource:default/fleet-k8s-arm dependencyOf component:default/atlas-analysis',
    ]);
  });

  it('leaves other components and resources alone', async () => {
    const cluster: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'cluster-arm' },
      spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
    };
    expect(await process(component())).toMatchObject({
      relations: [],
      errors: [],
    });
    expect(await process(cluster)).toMatchObject({ relations: [], errors: [] });
  });

  it('rejects annotation entries that are not fleets', async () => {
    const { relations, errors } = await process(
      component({
        'runner-fleet.io/fleets':
          'fleet-k8s-default,group:physics,a:b:c,fleet k8s arm',
      }),
    );
    expect(relations).toHaveLength(2);
    expect(errors.map(e => e.message)).toEqual([
      'Annotation runner-fleet.io/fleets contains "group:physics" of kind group. Runner fleets are Resource entities, so use a name such as fleet-k8s-default or resource:default/fleet-k8s-default.',
      'Annotation runner-fleet.io/fleets contains "a:b:c", which is not an entity reference. Use fleet names or references such as resource:default/fleet-k8s-default, separated by commas.',
      'Annotation runner-fleet.io/fleets contains "fleet k8s arm", which is not an entity reference. Use fleet names or references such as resource:default/fleet-k8s-default, separated by commas.',
    ]);
  });

  it.each([
    [
      'access',
      fleet('fleet-k8s-gpu', { access: 'public' }),
      'spec.access is "public". Allowed values: "open", "restricted", "on-request".',
    ],
    [
      'lifecycle',
      fleet('fleet-k8s-gpu', { lifecycle: 'beta' }),
      'spec.lifecycle is "beta". Allowed values: "planned", "opt-in", "production", "draining", "decommissioned".',
    ],
    [
      'executor',
      fleet('fleet-k8s-gpu', { executor: 'k8s' }),
      'spec.executor is "k8s". Allowed values: "kubernetes", "docker+machine", "docker", "docker-autoscaler", "shell", "instance".',
    ],
    [
      'concurrency',
      fleet('fleet-k8s-gpu', { concurrency: 'unlimited' }),
      'spec.concurrency is "unlimited". Expected an integer.',
    ],
    [
      'tags',
      fleet('fleet-k8s-gpu', { tags: ['gpu, cuda'] }),
      'spec.tags[0] is "gpu, cuda". It must start with a letter or digit and contain only letters, digits and . _ : / + -.',
    ],
    [
      'runUntagged',
      fleet('fleet-k8s-gpu', { runUntagged: undefined }),
      'spec.runUntagged is missing. Set it to true or false.',
    ],
    [
      'architecture',
      fleet('fleet-k8s-gpu', { architecture: 'x86_64' }),
      'spec.architecture is "x86_64". Allowed values: "amd64", "arm64", "ppc64le", "s390x".',
    ],
    [
      'cluster role',
      fleet('fleet-k8s-gpu', {
        clusters: [{ ref: 'cluster-gpu', role: 'blue' }],
      }),
      'spec.clusters[0].role is "blue". Allowed values: "active", "draining", "standby".',
    ],
    [
      'lend expiry',
      fleet('fleet-k8s-gpu', {
        lentTo: { fleet: 'fleet-k8s-default', until: '18/12/2026' },
      }),
      'spec.lentTo.until is "18/12/2026". Expected a date in YYYY-MM-DD form, for example 2027-03-31.',
    ],
    [
      'pool nodes',
      pool('pool-gpu', { nodes: { count: 4, cpu: 64, memoryGiB: -512 } }),
      'spec.nodes.memoryGiB is -512. It must be greater than 0.',
    ],
    [
      'pool accelerators',
      pool('pool-gpu', {
        accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 1.5 }],
      }),
      'spec.accelerators[0].count is 1.5. Expected an integer.',
    ],
    [
      'pool clusters',
      pool('pool-gpu', { clusters: 'cluster-gpu' }),
      'spec.clusters is "cluster-gpu". Expected a list.',
    ],
  ])(
    'rejects an invalid %s with an input error',
    async (_field, entity, message) => {
      const { relations, errors } = await process(entity);

      expect(relations).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(InputError);
      expect(errors[0].message).toBe(message);
    },
  );

  it('emits no relations for a fleet with any invalid field', async () => {
    const { relations, errors } = await process(
      fleet('fleet-k8s-default', {
        access: 'everyone',
        clusters: [{ ref: 'cluster-default-v3' }],
      }),
    );
    expect(errors).toHaveLength(1);
    expect(relations).toEqual([]);
  });
});
