import type { Entity } from '@backstage/catalog-model';
import type {
  FleetRunner,
  FleetSample,
  FleetSummary,
  MigrationOverview,
  MigrationProgress,
  ProjectRow,
  ProjectScorecard,
  RollupRow,
  RunnerFleetApi,
} from '../api';

/** Fixed data from the example instance, shared by the component tests. */

export const NOW = Date.parse('2026-12-04T12:00:00Z');

function counts(online: number, offline = 0, stale = 0, paused = 0) {
  return {
    online,
    offline,
    stale,
    neverContacted: 0,
    paused,
    total: online + offline + stale,
  };
}

export const fleets: FleetSummary[] = [
  {
    entityRef: 'resource:default/fleet-docker-machine',
    namespace: 'default',
    name: 'fleet-docker-machine',
    lifecycle: 'draining',
    executor: 'docker+machine',
    tags: ['docker'],
    concurrency: 200,
    runners: counts(15, 2, 3),
    load: {
      fleetRef: 'resource:default/fleet-docker-machine',
      runningJobs: 40,
      pendingJobs: 2,
      jobsStartedPerMinute: 4,
      queueWaitSeconds: { p50: 20, p90: 60, p99: 300 },
      failuresByReason: {},
      concurrency: 200,
      source: 'gitlab',
      sampledAt: '2026-12-04T11:59:45Z',
    },
  },
  {
    entityRef: 'resource:default/fleet-k8s-default',
    namespace: 'default',
    name: 'fleet-k8s-default',
    lifecycle: 'production',
    executor: 'kubernetes',
    tags: ['k8s-default'],
    concurrency: 100,
    runners: counts(4, 0, 0, 4),
    load: {
      fleetRef: 'resource:default/fleet-k8s-default',
      runningJobs: 95,
      pendingJobs: 30,
      jobsStartedPerMinute: 60,
      queueWaitSeconds: { p50: 5, p90: 40, p99: 90 },
      failuresByReason: { script_failure: 12 },
      concurrency: 100,
      source: 'gitlab',
      sampledAt: '2026-12-04T11:59:45Z',
    },
  },
  {
    entityRef: 'resource:default/fleet-k8s-gpu',
    namespace: 'default',
    name: 'fleet-k8s-gpu',
    lifecycle: 'planned',
    executor: 'kubernetes',
    tags: ['gpu'],
    concurrency: 0,
    runners: counts(0),
  },
];

/** A scale-up from 0 to 100 running jobs within one minute, sampled every 15 s. */
export function scaleUpSamples(start: number): FleetSample[] {
  const running = [0, 0, 0, 25, 60, 100, 100, 100];
  return running.map((runningJobs, index) => ({
    sampledAt: new Date(start + index * 15_000).toISOString(),
    runningJobs,
    pendingJobs: runningJobs === 100 ? 20 : 0,
    jobsStartedPerMinute: runningJobs,
    queueWaitSeconds: { p50: 3, p90: 10 + index, p99: 30 + index },
  }));
}

export const runners: FleetRunner[] = [
  {
    id: 101,
    description: 'k8s-default @ cluster-default-v3',
    status: 'online',
    version: '17.11.1',
    architecture: 'amd64',
    contactedAt: '2026-12-04T11:59:00Z',
  },
  {
    id: 102,
    description: 'k8s-default @ cluster-default-v2',
    status: 'online',
    paused: true,
    version: '17.9.0',
    architecture: 'amd64',
    contactedAt: '2026-12-04T11:58:00Z',
  },
  {
    id: 103,
    description: 'k8s-default @ cluster-default-v2',
    status: 'stale',
    version: '17.11.0',
    architecture: 'amd64',
    contactedAt: '2026-11-01T08:00:00Z',
  },
];

export const migrationOverview: MigrationOverview = {
  legacyFleetRef: 'resource:default/fleet-docker-machine',
  decommissionDate: '2027-03-31',
  days: [
    {
      date: '2026-12-02',
      jobsByFleet: {
        'resource:default/fleet-docker-machine': 900,
        'resource:default/fleet-k8s-default': 100,
      },
    },
    {
      date: '2026-12-03',
      jobsByFleet: {
        'resource:default/fleet-docker-machine': 250,
        'resource:default/fleet-k8s-default': 700,
        'resource:default/fleet-k8s-cvmfs': 50,
      },
    },
  ],
};

export const scorecard: ProjectScorecard = {
  projectPath: 'physics/atlas-analysis',
  projectId: 42,
  entityRef: 'component:default/atlas-analysis',
  score: 55,
  level: 'blocked',
  phase: 'opted-in',
  webUrl: 'https://gitlab.example.org/physics/atlas-analysis/-/blob/main/.gitlab-ci.yml',
  evaluatedAt: '2026-12-04T10:00:00Z',
  configErrors: [],
  findings: [
    {
      ruleId: 'net-raw-ping',
      severity: 'blocker',
      title: 'ping needs NET_RAW',
      message: 'The Kubernetes runners drop the NET_RAW capability, so ping fails.',
      fix: 'Use curl or a TCP check instead of ping.',
      job: 'connectivity-test',
      location: { file: 'ci/tests.yml', line: 17 },
    },
    {
      ruleId: 'legacy-docker-tag',
      severity: 'warning',
      title: 'Job uses the docker tag',
      message: 'The docker tag routes the job to the Docker Machine fleet.',
      fix: 'Remove the docker tag.',
      job: 'build',
      location: { file: '.gitlab-ci.yml', line: 5 },
      waiver: { reason: 'Needs docker-in-docker until privileged runners exist', expires: '2027-01-31' },
    },
    {
      ruleId: 'ipv6-localhost',
      severity: 'info',
      title: 'Test binds 127.0.0.1',
      message: 'Pod networks may be IPv6-only.',
      fix: 'Bind to localhost or ::1 as well.',
      job: 'unit',
    },
  ],
};

export const projectEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'atlas-analysis',
    namespace: 'default',
    annotations: { 'gitlab.com/project-slug': 'physics/atlas-analysis' },
  },
  spec: { type: 'service', owner: 'group:default/physics', lifecycle: 'production' },
};

export const fleetEntity: Entity = {
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
    concurrency: 100,
    architecture: 'amd64',
    clusters: [
      { ref: 'cluster-default-v2', role: 'draining' },
      { ref: 'resource:default/cluster-default-v3', role: 'active' },
    ],
    live: { versions: ['17.11.1', '17.9.0'] },
  },
};

export const clusterEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'cluster-default-v2', namespace: 'default' },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
};

export const gpuFleetEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'fleet-k8s-gpu', namespace: 'default' },
  spec: {
    type: 'gitlab-runner-fleet',
    owner: 'group:default/platform-team',
    lifecycle: 'planned',
    executor: 'kubernetes',
    tags: ['gpu'],
    concurrency: 16,
    accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 16 }],
    clusters: [{ ref: 'cluster-gpu' }],
  },
};

export const gpuPoolEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'pool-gpu', namespace: 'default' },
  spec: {
    type: 'hardware-pool',
    owner: 'group:default/platform-team',
    architecture: 'amd64',
    nodes: { count: 4, cpu: 64, memoryGiB: 512 },
    accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 16 }],
    clusters: ['cluster-gpu'],
  },
};

export const progress: MigrationProgress = {
  decommissionDate: '2027-03-31',
  points: [
    { date: '2026-11-01', byPhase: { legacy: 12000, 'opted-in': 3000, 'on-kubernetes': 4000, migrated: 1000 } },
    { date: '2026-12-01', byPhase: { legacy: 6000, 'opted-in': 4000, 'on-kubernetes': 7000, migrated: 3000 } },
  ],
};

export const ownerRollups: RollupRow[] = [
  { key: 'group:default/physics', projects: 8000, byPhase: { legacy: 3000, migrated: 1000 }, byLevel: { blocked: 2500 } },
  { key: 'group:default/ml', projects: 3000, byPhase: { legacy: 500 }, byLevel: { blocked: 100 } },
];

export const ruleRollups: RollupRow[] = [
  { key: 'ipv6-localhost', title: 'Test binds 127.0.0.1', projects: 900, blocked: 0 },
  { key: 'net-raw-ping', title: 'ping needs NET_RAW', projects: 1200, blocked: 1200 },
  { key: 'cvmfs-mount', title: 'CVMFS not mounted', projects: 3000, blocked: 2800 },
];

export const projectRows: ProjectRow[] = [
  {
    projectPath: 'physics/atlas-analysis',
    entityRef: 'component:default/atlas-analysis',
    owner: 'group:default/physics',
    group: 'physics',
    score: 55,
    level: 'blocked',
    phase: 'opted-in',
    blockers: 1,
    warnings: 0,
  },
];

/** An API mock whose methods reject unless a test sets them. */
export function mockRunnerFleetApi(overrides: Partial<RunnerFleetApi> = {}): jest.Mocked<RunnerFleetApi> {
  const reject = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`${name} was not expected in this test`)));
  return {
    listFleets: reject('listFleets'),
    getFleetLoad: reject('getFleetLoad'),
    getFleetSamples: reject('getFleetSamples'),
    getFleetRunners: reject('getFleetRunners'),
    getFleetFailures: reject('getFleetFailures'),
    getMigrationOverview: reject('getMigrationOverview'),
    getScorecardForEntity: reject('getScorecardForEntity'),
    getScorecard: reject('getScorecard'),
    getScorecardHistory: reject('getScorecardHistory'),
    refreshScorecard: reject('refreshScorecard'),
    getRollups: reject('getRollups'),
    getProgress: reject('getProgress'),
    listProjects: reject('listProjects'),
    getScorecardsCsv: reject('getScorecardsCsv'),
    ...(Object.fromEntries(
      Object.entries(overrides).map(([key, fn]) => [key, jest.fn(fn as any)]),
    ) as Partial<RunnerFleetApi>),
  } as jest.Mocked<RunnerFleetApi>;
}

/**
 * A catalog API that serves `getEntities` from memory, filtering on kind and
 * `spec.type` the way the fleet lookups query it.
 */
export function catalogWith(entities: Entity[]) {
  return {
    getEntities: jest.fn(async (request?: { filter?: Record<string, string> }) => {
      const filter = request?.filter ?? {};
      const items = entities.filter(entity =>
        Object.entries(filter).every(([key, value]) => {
          if (key === 'kind') {
            return entity.kind.toLocaleLowerCase() === value.toLocaleLowerCase();
          }
          if (key === 'spec.type') {
            return (entity.spec as { type?: string } | undefined)?.type === value;
          }
          return false;
        }),
      );
      return { items };
    }),
  } as any;
}
