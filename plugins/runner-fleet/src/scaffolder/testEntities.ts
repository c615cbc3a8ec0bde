import type { Entity } from '@backstage/catalog-model';

function resource(name: string, title: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', title },
    spec: { owner: 'group:default/platform-team', ...spec },
  };
}

function fleet(name: string, access: string, cluster: string, concurrency: number): Entity {
  return resource(name, name, {
    type: 'gitlab-runner-fleet',
    lifecycle: 'production',
    executor: 'kubernetes',
    tags: [name],
    runUntagged: false,
    access,
    concurrency,
    architecture: 'amd64',
    clusters: [{ ref: `resource:default/${cluster}` }],
  });
}

/** Pools and fleets shaped like the example instance. */
export const poolEntities: Entity[] = [
  resource('pool-gpu', 'GPU pool', {
    type: 'hardware-pool',
    architecture: 'amd64',
    nodes: { count: 4, cpu: 64, memoryGiB: 512 },
    accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 16 }],
    clusters: ['cluster-gpu'],
  }),
  resource('pool-fpga', 'FPGA pool', {
    type: 'hardware-pool',
    architecture: 'amd64',
    nodes: { count: 4, cpu: 32, memoryGiB: 128 },
    accelerators: [{ type: 'fpga', model: 'AMD Alveo U55C', count: 8 }],
    clusters: ['cluster-fpga'],
  }),
  resource('pool-arm64', 'ARM pool', {
    type: 'hardware-pool',
    architecture: 'arm64',
    nodes: { count: 12, cpu: 80, memoryGiB: 256 },
    clusters: ['cluster-arm'],
  }),
  resource('pool-broken', 'Broken pool', { type: 'hardware-pool' }),
  fleet('fleet-k8s-gpu', 'on-request', 'cluster-gpu', 16),
  fleet('fleet-k8s-fpga', 'restricted', 'cluster-fpga', 4),
  fleet('fleet-k8s-arm', 'open', 'cluster-arm', 40),
];

function component(name: string, owner: string, slug?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: `${name} title`,
      ...(slug ? { annotations: { 'gitlab.com/project-slug': slug } } : {}),
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/** Components owned by several groups, some without a GitLab project. */
export const componentEntities: Entity[] = [
  component('atlas-analysis', 'group:default/physics', 'physics/atlas-analysis'),
  component('cms-reco', 'group:default/physics', 'physics/detector/cms-reco'),
  component('jet-tagger', 'group:default/ml', 'ml/jet-tagger'),
  component('wiki', 'group:default/physics'),
];
