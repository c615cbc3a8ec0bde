import type { Entity } from '@backstage/catalog-model';
import {
  isHardwarePoolEntity,
  isKubernetesClusterEntity,
  isRunnerFleetEntity,
  splitFleetsAnnotation,
} from './entities';
import { validateRunnerFleetEntity } from './validation';

function fleet(spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'fleet-k8s-default' },
    spec: {
      type: 'gitlab-runner-fleet',
      owner: 'group:default/platform-team',
      lifecycle: 'production',
      executor: 'kubernetes',
      tags: ['k8s-default'],
      runUntagged: true,
      access: 'open',
      concurrency: 400,
      architecture: 'amd64',
      features: { networkZone: 'general' },
      clusters: [
        { ref: 'resource:default/cluster-default-v2', role: 'draining' },
        { ref: 'cluster-default-v3', role: 'active' },
      ],
      ...spec,
    },
  };
}

function pool(spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'pool-fpga' },
    spec: {
      type: 'hardware-pool',
      owner: 'group:default/platform-team',
      architecture: 'amd64',
      nodes: { count: 4, cpu: 32, memoryGiB: 128 },
      accelerators: [{ type: 'fpga', model: 'AMD Alveo U55C', count: 8 }],
      clusters: ['cluster-fpga'],
      ...spec,
    },
  };
}

function messages(entity: Entity): string[] {
  return validateRunnerFleetEntity(entity).map(problem => problem.message);
}

describe('validateRunnerFleetEntity', () => {
  it('accepts a valid fleet', () => {
    expect(validateRunnerFleetEntity(fleet())).toEqual([]);
  });

  it('accepts a lent fleet with live facts', () => {
    const entity = fleet({
      lentTo: {
        fleet: 'fleet-k8s-default',
        until: '2027-01-15',
        reason: 'Outage cover',
      },
      live: { runners: { online: 2 }, anything: ['unchecked'] },
    });
    expect(validateRunnerFleetEntity(entity)).toEqual([]);
  });

  it('accepts a valid pool', () => {
    expect(validateRunnerFleetEntity(pool())).toEqual([]);
  });

  it('ignores other kinds and types', () => {
    const cluster: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'cluster-arm' },
      spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
    };
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: { type: 'gitlab-runner-fleet' },
    };
    expect(validateRunnerFleetEntity(cluster)).toEqual([]);
    expect(validateRunnerFleetEntity(component)).toEqual([]);
  });

  it('reports field, value and message for an invalid enum', () => {
    expect(validateRunnerFleetEntity(fleet({ access: 'public' }))).toEqual([
      {
        field: 'spec.access',
        value: 'public',
        message:
          'spec.access is "public". Allowed values: "open", "restricted", "on-request".',
      },
    ]);
  });

  it.each([
    [
      'lifecycle',
      { lifecycle: 'experimental' },
      'spec.lifecycle is "experimental". Allowed values: "planned", "opt-in", "production", "draining", "decommissioned".',
    ],
    [
      'executor',
      { executor: 'docker-machine' },
      'spec.executor is "docker-machine". Allowed values: "kubernetes", "docker+machine", "docker", "docker-autoscaler", "shell", "instance".',
    ],
    [
      'architecture',
      { architecture: 'x86_64' },
      'spec.architecture is "x86_64". Allowed values: "amd64", "arm64", "ppc64le", "s390x".',
    ],
    [
      'missing access',
      { access: undefined },
      'spec.access is missing. Allowed values: "open", "restricted", "on-request".',
    ],
    [
      'runUntagged',
      { runUntagged: 'yes' },
      'spec.runUntagged is "yes". Expected true or false.',
    ],
    [
      'missing runUntagged',
      { runUntagged: undefined },
      'spec.runUntagged is missing. Set it to true or false.',
    ],
    [
      'concurrency fraction',
      { concurrency: 2.5 },
      'spec.concurrency is 2.5. Expected an integer.',
    ],
    [
      'negative concurrency',
      { concurrency: -1 },
      'spec.concurrency is -1. It must be at least 0.',
    ],
    [
      'tags as a string',
      { tags: 'k8s-default' },
      'spec.tags is "k8s-default". Expected a list.',
    ],
    [
      'tag with a comma',
      { tags: ['k8s-default,arm64'] },
      'spec.tags[0] is "k8s-default,arm64". It must start with a letter or digit and contain only letters, digits and . _ : / + -.',
    ],
    ['empty tag', { tags: [''] }, 'spec.tags[0] is "". It must not be empty.'],
    [
      'owner',
      { owner: 'group:default/platform team' },
      'spec.owner is "group:default/platform team". It must be an entity reference such as resource:default/cluster-arm or cluster-arm.',
    ],
    [
      'cluster ref',
      { clusters: [{ ref: 'cluster arm' }] },
      'spec.clusters[0].ref is "cluster arm". It must be an entity reference such as resource:default/cluster-arm or cluster-arm.',
    ],
    [
      'cluster role',
      { clusters: [{ ref: 'cluster-arm', role: 'primary' }] },
      'spec.clusters[0].role is "primary". Allowed values: "active", "draining", "standby".',
    ],
    [
      'cluster key typo',
      { clusters: [{ ref: 'cluster-arm', rol: 'active' }] },
      'spec.clusters[0] has the unknown key(s) "rol". Remove them or check their spelling. Allowed keys: ref, role.',
    ],
    [
      'features key typo',
      { features: { privilege: true } },
      'spec.features has the unknown key(s) "privilege". Remove them or check their spelling. Allowed keys: cvmfs, privileged, networkZone.',
    ],
    [
      'network zone',
      { features: { networkZone: 'dmz' } },
      'spec.features.networkZone is "dmz". Allowed values: "general", "technical-network".',
    ],
    [
      'empty cvmfs repositories',
      { features: { cvmfs: { repositories: [] } } },
      'spec.features.cvmfs.repositories is []. It must list at least 1 item(s).',
    ],
    [
      'lend expiry',
      { lentTo: { fleet: 'fleet-k8s-default', until: 'next week' } },
      'spec.lentTo.until is "next week". Expected a date in YYYY-MM-DD form, for example 2027-03-31.',
    ],
    [
      'missing lend expiry',
      { lentTo: { fleet: 'fleet-k8s-default' } },
      'spec.lentTo.until is missing. Set it to a date in YYYY-MM-DD form.',
    ],
    [
      'accelerator type',
      { accelerators: [{ type: 'tpu', model: 'v5e', count: 4 }] },
      'spec.accelerators[0].type is "tpu". Allowed values: "gpu", "fpga".',
    ],
    [
      'accelerator count',
      { accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 0 }] },
      'spec.accelerators[0].count is 0. It must be at least 1.',
    ],
    [
      'features as a list',
      { features: ['cvmfs'] },
      'spec.features is ["cvmfs"]. Expected a mapping with the keys cvmfs, privileged, networkZone.',
    ],
  ])('rejects an invalid fleet %s', (_name, spec, expected) => {
    expect(messages(fleet(spec))).toEqual([expected]);
  });

  it.each([
    [
      'architecture',
      { architecture: 'aarch64' },
      'spec.architecture is "aarch64". Allowed values: "amd64", "arm64", "ppc64le", "s390x".',
    ],
    [
      'missing nodes',
      { nodes: undefined },
      'spec.nodes is missing. Set it to a mapping with the keys count, cpu, memoryGiB.',
    ],
    [
      'node count',
      { nodes: { count: '4', cpu: 32, memoryGiB: 128 } },
      'spec.nodes.count is "4". Expected an integer.',
    ],
    [
      'node cpu',
      { nodes: { count: 4, cpu: 0, memoryGiB: 128 } },
      'spec.nodes.cpu is 0. It must be greater than 0.',
    ],
    [
      'node memory unit',
      { nodes: { count: 4, cpu: 32, memory: '128Gi' } },
      [
        'spec.nodes.memoryGiB is missing. Set it to a number.',
        'spec.nodes has the unknown key(s) "memory". Remove them or check their spelling. Allowed keys: count, cpu, memoryGiB.',
      ],
    ],
    [
      'cluster ref',
      { clusters: ['cluster/fpga/x'] },
      'spec.clusters[0] is "cluster/fpga/x". It must be an entity reference such as resource:default/cluster-arm or cluster-arm.',
    ],
    [
      'accelerator model',
      { accelerators: [{ type: 'fpga', model: '', count: 8 }] },
      'spec.accelerators[0].model is "". It must not be empty.',
    ],
  ] as Array<[string, Record<string, unknown>, string | string[]]>)(
    'rejects an invalid pool %s',
    (_name, spec, expected) => {
      const expectedMessages = Array.isArray(expected) ? expected : [expected];
      expect(messages(pool(spec))).toEqual(expectedMessages);
    },
  );

  it('reports every invalid field at once', () => {
    const problems = validateRunnerFleetEntity(
      fleet({ access: 'public', concurrency: -5 }),
    );
    expect(problems.map(p => p.field)).toEqual([
      'spec.access',
      'spec.concurrency',
    ]);
  });
});

describe('entity type guards', () => {
  it('match kind case-insensitively', () => {
    expect(isRunnerFleetEntity(fleet())).toBe(true);
    expect(isRunnerFleetEntity({ ...fleet(), kind: 'resource' })).toBe(true);
    expect(isRunnerFleetEntity(pool())).toBe(false);
    expect(isHardwarePoolEntity(pool())).toBe(true);
    expect(
      isKubernetesClusterEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'cluster-arm' },
        spec: { type: 'kubernetes-cluster' },
      }),
    ).toBe(true);
  });
});

describe('splitFleetsAnnotation', () => {
  it('trims entries and drops empty ones', () => {
    expect(
      splitFleetsAnnotation(' fleet-k8s-default, ,fleet-k8s-arm,'),
    ).toEqual(['fleet-k8s-default', 'fleet-k8s-arm']);
  });

  it('returns no entries for a missing annotation', () => {
    expect(splitFleetsAnnotation(undefined)).toEqual([]);
  });
});
