import type { Entity, UserEntity } from '@backstage/catalog-model';

const OWNER = 'group:default/platform-team';

function pool(
  name: string,
  architecture: string,
  nodes: { count: number; cpu: number; memoryGiB: number },
  clusters: string[],
  accelerators?: Array<{ type: 'gpu' | 'fpga'; model: string; count: number }>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'hardware-pool',
      owner: OWNER,
      architecture,
      nodes,
      ...(accelerators ? { accelerators } : {}),
      clusters,
    },
  };
}

function fleet(
  name: string,
  options: {
    tags: string[];
    access: 'open' | 'restricted' | 'on-request';
    clusters: Array<{ ref: string; role?: string }>;
    runUntagged?: boolean;
    architecture?: string;
    runnerIds?: number[];
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'gitlab-runner-fleet',
      owner: OWNER,
      lifecycle: 'production',
      executor: 'kubernetes',
      tags: options.tags,
      runUntagged: options.runUntagged ?? false,
      access: options.access,
      concurrency: 40,
      architecture: options.architecture ?? 'amd64',
      clusters: options.clusters,
      ...(options.runnerIds ? { live: { runnerIds: options.runnerIds } } : {}),
    },
  };
}

function cluster(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: { type: 'kubernetes-cluster', owner: OWNER },
  };
}

/** Catalog entities of the example instance that the actions read. */
export const exampleEntities: Entity[] = [
  pool('pool-general-x86', 'amd64', { count: 40, cpu: 64, memoryGiB: 256 }, [
    'cluster-default-v2',
    'cluster-default-v3',
    'cluster-cvmfs',
    'cluster-qa',
  ]),
  pool('pool-arm64', 'arm64', { count: 12, cpu: 80, memoryGiB: 256 }, ['cluster-arm']),
  pool('pool-fpga', 'amd64', { count: 4, cpu: 32, memoryGiB: 128 }, ['cluster-fpga'], [
    { type: 'fpga', model: 'AMD Alveo U55C', count: 8 },
  ]),
  pool('pool-spark', 'amd64', { count: 16, cpu: 48, memoryGiB: 384 }, ['cluster-spark']),
  pool('pool-gpu', 'amd64', { count: 4, cpu: 64, memoryGiB: 512 }, ['cluster-gpu'], [
    { type: 'gpu', model: 'NVIDIA A100 80GB', count: 16 },
  ]),
  pool('pool-technical-network', 'amd64', { count: 6, cpu: 32, memoryGiB: 128 }, [
    'cluster-technical-network',
  ]),
  fleet('fleet-k8s-default', {
    tags: ['k8s-default'],
    access: 'open',
    runUntagged: true,
    clusters: [
      { ref: 'cluster-default-v2', role: 'draining' },
      { ref: 'cluster-default-v3', role: 'active' },
    ],
    runnerIds: [101, 102],
  }),
  fleet('fleet-k8s-cvmfs', { tags: ['cvmfs'], access: 'open', clusters: [{ ref: 'cluster-cvmfs' }] }),
  fleet('fleet-k8s-arm', {
    tags: ['arm64', 'aarch64'],
    access: 'open',
    architecture: 'arm64',
    clusters: [{ ref: 'cluster-arm' }],
  }),
  fleet('fleet-k8s-fpga', { tags: ['fpga'], access: 'restricted', clusters: [{ ref: 'cluster-fpga' }] }),
  fleet('fleet-k8s-spark', { tags: ['spark'], access: 'on-request', clusters: [{ ref: 'cluster-spark' }] }),
  fleet('fleet-k8s-gpu', { tags: ['gpu'], access: 'on-request', clusters: [{ ref: 'cluster-gpu' }] }),
  fleet('fleet-k8s-technical-network', {
    tags: ['technical-network'],
    access: 'restricted',
    clusters: [{ ref: 'cluster-technical-network' }],
  }),
  fleet('fleet-qa-k8s-default', {
    tags: ['k8s-default', 'qa'],
    access: 'restricted',
    clusters: [{ ref: 'cluster-qa' }],
    runnerIds: [201, 202],
  }),
  ...[
    'cluster-default-v2',
    'cluster-default-v3',
    'cluster-cvmfs',
    'cluster-arm',
    'cluster-fpga',
    'cluster-spark',
    'cluster-gpu',
    'cluster-technical-network',
    'cluster-qa',
    'cluster-default-v4',
  ].map(cluster),
];

/** Builds a user entity with an optional GitLab username and group memberships. */
export function userEntity(
  name: string,
  options: { gitlabUsername?: string; memberOf?: string[] } = {},
): UserEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      ...(options.gitlabUsername
        ? { annotations: { 'gitlab.com/username': options.gitlabUsername } }
        : {}),
    },
    spec: { memberOf: options.memberOf ?? [] },
    relations: (options.memberOf ?? []).map(targetRef => ({
      type: 'memberOf',
      targetRef,
    })),
  };
}
