import type { Entity } from '@backstage/catalog-model';

/** Entities from the example instance, with the relations the catalog module emits. */

export const defaultFleet: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'fleet-k8s-default', namespace: 'default' },
  spec: {
    type: 'gitlab-runner-fleet',
    owner: 'group:default/platform-team',
    lifecycle: 'production',
    executor: 'kubernetes',
    tags: ['k8s-default'],
    runUntagged: true,
    access: 'open',
    concurrency: 480,
    architecture: 'amd64',
    features: { networkZone: 'general' },
    clusters: [
      { ref: 'resource:default/cluster-default-v2', role: 'draining' },
      { ref: 'cluster-default-v3', role: 'active' },
    ],
    live: {
      runners: {
        online: 4,
        offline: 0,
        stale: 0,
        neverContacted: 0,
        paused: 4,
        total: 8,
      },
      versions: ['18.5.0', '18.4.2'],
      syncedAt: '2026-12-04T11:58:00Z',
    },
  },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/cluster-default-v2' },
    { type: 'dependsOn', targetRef: 'resource:default/cluster-default-v3' },
    { type: 'borrowsFrom', targetRef: 'resource:default/fleet-qa-k8s-default' },
  ],
};

export const qaFleet: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'fleet-qa-k8s-default', namespace: 'default' },
  spec: {
    type: 'gitlab-runner-fleet',
    owner: 'group:default/platform-team',
    lifecycle: 'production',
    executor: 'kubernetes',
    tags: ['k8s-default', 'qa'],
    runUntagged: false,
    access: 'restricted',
    concurrency: 80,
    architecture: 'amd64',
    clusters: [{ ref: 'cluster-qa', role: 'active' }],
    lentTo: {
      fleet: 'resource:default/fleet-k8s-default',
      until: '2027-01-31',
      reason: 'Extra capacity while cluster-default-v2 drains.',
    },
  },
};

export const fpgaFleet: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'fleet-k8s-fpga', namespace: 'default' },
  spec: {
    type: 'gitlab-runner-fleet',
    owner: 'group:default/platform-team',
    lifecycle: 'production',
    executor: 'kubernetes',
    tags: ['fpga'],
    runUntagged: false,
    access: 'restricted',
    concurrency: 8,
    architecture: 'amd64',
    accelerators: [{ type: 'fpga', model: 'AMD Alveo U55C', count: 8 }],
    features: {
      cvmfs: { repositories: ['sw.example.org'] },
      privileged: false,
    },
    clusters: [{ ref: 'cluster-fpga' }],
  },
};

export const dockerMachineFleet: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'fleet-docker-machine', namespace: 'default' },
  spec: {
    type: 'gitlab-runner-fleet',
    owner: 'group:default/platform-team',
    lifecycle: 'draining',
    executor: 'docker+machine',
    tags: ['docker'],
    runUntagged: false,
    access: 'open',
    concurrency: 200,
    architecture: 'amd64',
  },
};

export const clusterV3: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'cluster-default-v3',
    namespace: 'default',
    annotations: {
      'kubernetes.io/api-server': 'https://127.0.0.1:16442',
      'kubernetes.io/auth-provider': 'oidc',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
  relations: [
    { type: 'dependencyOf', targetRef: 'resource:default/fleet-k8s-default' },
    { type: 'dependsOn', targetRef: 'resource:default/pool-general-x86' },
  ],
};

export const generalPool: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'pool-general-x86', namespace: 'default' },
  spec: {
    type: 'hardware-pool',
    owner: 'group:default/platform-team',
    architecture: 'amd64',
    nodes: { count: 40, cpu: 64, memoryGiB: 256 },
    clusters: [
      'cluster-default-v2',
      'cluster-default-v3',
      'cluster-cvmfs',
      'cluster-qa',
    ],
  },
};

export const fpgaPool: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'pool-fpga', namespace: 'default' },
  spec: {
    type: 'hardware-pool',
    owner: 'group:default/platform-team',
    architecture: 'amd64',
    nodes: { count: 4, cpu: 32, memoryGiB: 128 },
    accelerators: [{ type: 'fpga', model: 'AMD Alveo U55C', count: 8 }],
    clusters: ['cluster-fpga'],
  },
};
