import type { Entity } from '@backstage/catalog-model';
import type {
  FleetLoad,
  FleetRunner,
  FleetSampleRow,
  MigrationOverview,
  MigrationProgress,
  ProjectScorecard,
  ProjectsPage,
  ScorecardRollup,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { RunnerFleetApi } from '../api';

/** Fixed data from the example instance, shared by the component tests. */

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

function fleet(name: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: { type: 'gitlab-runner-fleet', owner: 'group:default/platform-team', ...spec },
  };
}

export const fleetEntity: Entity = fleet('fleet-k8s-default', {
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
  live: { versions: ['17.11.1', '17.9.0'], runners: counts(4, 0, 0, 4) },
});

export const legacyFleetEntity: Entity = fleet('fleet-docker-machine', {
  lifecycle: 'draining',
  executor: 'docker+machine',
  tags: ['docker'],
  concurrency: 200,
  live: { runners: counts(15, 2, 3) },
});

export const gpuFleetEntity: Entity = fleet('fleet-k8s-gpu', {
  lifecycle: 'planned',
  executor: 'kubernetes',
  tags: ['gpu'],
  concurrency: 16,
  accelerators: [{ type: 'gpu', model: 'NVIDIA A100 80GB', count: 16 }],
  clusters: [{ ref: 'cluster-gpu' }],
});

export const fleetEntities = [legacyFleetEntity, fleetEntity, gpuFleetEntity];

function load(fleetRef: string, runningJobs: number, pendingJobs: number, concurrency: number): FleetLoad {
  return {
    fleetRef,
    runningJobs,
    pendingJobs,
    jobsStartedPerMinute: 60,
    queueWaitSeconds: { p50: 5, p90: 40, p99: 90 },
    failuresByReason: {},
    concurrency,
    source: 'gitlab',
    sampledAt: '2026-12-04T11:59:45Z',
  };
}

/** Latest loads; the planned GPU fleet has no sample yet. */
export const fleetLoads: FleetLoad[] = [
  load('resource:default/fleet-docker-machine', 40, 2, 200),
  load('resource:default/fleet-k8s-default', 95, 30, 100),
];

/** A scale-up from 0 to 100 running jobs within one minute, sampled every 15 s. */
export function scaleUpSamples(start: number): FleetSampleRow[] {
  const running = [0, 0, 0, 25, 60, 100, 100, 100];
  return running.map((runningJobs, index) => ({
    sampledAt: new Date(start + index * 15_000).toISOString(),
    runningJobs,
    pendingJobs: runningJobs === 100 ? 20 : 0,
    jobsStartedPerMinute: runningJobs,
    jobsStarted: index > 0 ? Math.max(0, runningJobs - running[index - 1]) : 0,
    resolutionSeconds: 15,
    source: 'gitlab' as const,
    queueWaitSeconds: { p50: 3, p90: 10 + index, p99: 30 + index },
  }));
}

function runner(id: number, description: string, extra: Partial<FleetRunner>): FleetRunner {
  return {
    id,
    description,
    status: 'online',
    paused: false,
    tags: ['k8s-default'],
    version: '17.11.1',
    architecture: 'amd64',
    managers: 3,
    stale: false,
    outdated: false,
    ...extra,
  };
}

export const runners: FleetRunner[] = [
  runner(101, 'k8s-default @ cluster-default-v3', { contactedAt: '2026-12-04T11:59:00Z' }),
  runner(102, 'k8s-default @ cluster-default-v2', {
    paused: true,
    version: '17.9.0',
    contactedAt: '2026-12-04T11:58:00Z',
  }),
  runner(103, 'k8s-default @ cluster-default-v2', {
    status: 'stale',
    stale: true,
    version: '17.11.0',
    contactedAt: '2026-11-01T08:00:00Z',
  }),
];

export const migrationOverview: MigrationOverview = {
  legacyFleetRef: 'resource:default/fleet-docker-machine',
  decommissionDate: '2027-03-31',
  items: [
    {
      day: '2026-12-02',
      legacyJobs: 900,
      kubernetesJobs: 100,
      byFleet: { 'resource:default/fleet-k8s-default': 100 },
    },
    {
      day: '2026-12-03',
      legacyJobs: 250,
      kubernetesJobs: 750,
      byFleet: {
        'resource:default/fleet-k8s-default': 700,
        'resource:default/fleet-k8s-cvmfs': 40,
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

export const clusterEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'cluster-default-v2', namespace: 'default' },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/platform-team' },
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

const phases = (legacy: number, optedIn: number, onKubernetes: number, migrated: number) => ({
  legacy,
  'opted-in': optedIn,
  'on-kubernetes': onKubernetes,
  migrated,
});

const levels = (blocked: number, needsChanges: number, ready: number) => ({
  blocked,
  'needs-changes': needsChanges,
  ready,
});

export const progress: MigrationProgress = {
  decommissionDate: '2027-03-31',
  daysToDecommission: 117,
  current: phases(6000, 4000, 7000, 3000),
  items: [
    { day: '2026-11-01', byPhase: phases(12000, 3000, 4000, 1000) },
    { day: '2026-12-01', byPhase: phases(6000, 4000, 7000, 3000) },
  ],
};

export const ownerRollups: ScorecardRollup[] = [
  {
    key: 'group:default/physics',
    projects: 8000,
    byPhase: phases(3000, 2000, 2000, 1000),
    byLevel: levels(2500, 3000, 2500),
    findings: 4000,
  },
  {
    key: 'group:default/ml',
    projects: 3000,
    byPhase: phases(500, 500, 1000, 1000),
    byLevel: levels(100, 900, 2000),
    findings: 150,
  },
];

export const ruleRollups: ScorecardRollup[] = [
  {
    key: 'ipv6-localhost',
    severity: 'warning',
    projects: 900,
    byPhase: phases(0, 0, 0, 0),
    byLevel: levels(0, 0, 0),
    findings: 1000,
  },
  {
    key: 'net-raw-ping',
    severity: 'blocker',
    projects: 1200,
    byPhase: phases(0, 0, 0, 0),
    byLevel: levels(1200, 0, 0),
    findings: 1300,
  },
  {
    key: 'cvmfs-mount',
    severity: 'blocker',
    projects: 2800,
    byPhase: phases(0, 0, 0, 0),
    byLevel: levels(2800, 0, 0),
    findings: 3100,
  },
];

export const projectsPage: ProjectsPage = {
  items: [
    {
      projectPath: 'physics/atlas-analysis',
      entityRef: 'component:default/atlas-analysis',
      ownerRef: 'group:default/physics',
      group: 'physics',
      score: 55,
      level: 'blocked',
      phase: 'opted-in',
      blockers: 1,
      warnings: 0,
      infos: 1,
      configErrors: 0,
      evaluatedAt: '2026-12-04T10:00:00Z',
    },
  ],
  totalCount: 20000,
  page: 1,
  pageSize: 25,
  aggregates: {
    byPhase: phases(6000, 4000, 7000, 3000),
    byLevel: levels(5000, 8000, 7000),
    pending: 0,
  },
};

/** An API mock whose methods reject unless a test sets them. */
export function mockRunnerFleetApi(overrides: Partial<RunnerFleetApi> = {}): jest.Mocked<RunnerFleetApi> {
  const reject = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`${name} was not expected in this test`)));
  return {
    listFleetLoads: reject('listFleetLoads'),
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
