import type { Entity } from '@backstage/catalog-model';
import { fleetsOnPool, hardwarePoolAccess, poolJobLimits } from './pools';

function pool(name: string, clusters: string[], annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: {
      type: 'hardware-pool',
      owner: 'group:default/platform-team',
      architecture: 'amd64',
      nodes: { count: 4, cpu: 64, memoryGiB: 512 },
      accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 16 }],
      clusters,
    },
  };
}

function fleet(name: string, access: string, clusters: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name },
    spec: {
      type: 'gitlab-runner-fleet',
      owner: 'group:default/platform-team',
      lifecycle: 'production',
      executor: 'kubernetes',
      tags: [name],
      runUntagged: false,
      access,
      concurrency: 10,
      architecture: 'amd64',
      clusters: clusters.map(ref => ({ ref })),
    },
  };
}

const fleets = [
  fleet('fleet-default', 'open', ['resource:default/cluster-a']),
  fleet('fleet-qa', 'restricted', ['cluster-a']),
  fleet('fleet-fpga', 'restricted', ['cluster-f']),
  fleet('fleet-gpu', 'on-request', ['cluster-g']),
  { ...fleet('fleet-broken', 'open', ['cluster-f']), spec: { type: 'gitlab-runner-fleet' } },
];

describe('hardwarePoolAccess', () => {
  it('takes the most open fleet on the pool', () => {
    expect(hardwarePoolAccess(pool('p', ['cluster-a']), fleets)).toBe('open');
    expect(hardwarePoolAccess(pool('p', ['cluster-g']), fleets)).toBe('on-request');
    expect(hardwarePoolAccess(pool('p', ['cluster-f']), fleets)).toBe('restricted');
  });

  it('treats a pool without fleets as restricted', () => {
    expect(hardwarePoolAccess(pool('p', ['cluster-none']), fleets)).toBe('restricted');
  });

  it('prefers a valid access annotation', () => {
    expect(
      hardwarePoolAccess(pool('p', ['cluster-a'], { 'runner-fleet.io/access': 'restricted' }), fleets),
    ).toBe('restricted');
    expect(
      hardwarePoolAccess(pool('p', ['cluster-a'], { 'runner-fleet.io/access': 'wide-open' }), fleets),
    ).toBe('open');
  });
});

describe('fleetsOnPool', () => {
  it('matches short and full cluster references and skips invalid fleets', () => {
    expect(fleetsOnPool(pool('p', ['cluster-a']), fleets).map(f => f.ref)).toEqual([
      'resource:default/fleet-default',
      'resource:default/fleet-qa',
    ]);
    expect(fleetsOnPool(pool('p', ['cluster-f']), fleets).map(f => f.ref)).toEqual([
      'resource:default/fleet-fpga',
    ]);
  });
});

describe('poolJobLimits', () => {
  it('spreads accelerators over nodes', () => {
    expect(poolJobLimits(pool('p', []).spec as any)).toEqual({
      cpu: 64,
      memoryGiB: 512,
      acceleratorsPerNode: 4,
    });
  });
});
