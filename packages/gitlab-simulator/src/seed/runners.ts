import { Group, Project, Runner, RunnerManager } from '../model';
import { SeededRandom } from '../random';
import { DAY, HOUR, MINUTE } from '../time';

/** Timeline of the migration, relative to the simulator's "now". */
export interface MigrationTimeline {
  now: number;
  /** Untagged jobs move from Docker Machine to the Kubernetes default fleet. */
  untaggedToKubernetesAt: number;
  /** `cluster-default-v3` joins the default fleet. */
  defaultV3CreatedAt: number;
  /** The `cluster-default-v2` runners are paused (draining). */
  defaultV2PausedAt: number;
  /** The QA fleet is lent to the default fleet until this time. */
  qaLoanExpiresAt: number;
}

export function createTimeline(now: number): MigrationTimeline {
  return {
    now,
    untaggedToKubernetesAt: now - 9 * DAY,
    defaultV3CreatedAt: now - 10 * DAY,
    defaultV2PausedAt: now - 3 * DAY,
    qaLoanExpiresAt: now + 21 * DAY,
  };
}

const FOREVER = Number.MAX_SAFE_INTEGER;

/** Number of instance runners in the example instance. */
export const INSTANCE_RUNNER_COUNT = 37;

interface FleetSpec {
  fleet: string;
  cluster?: string;
  description: (index: number) => string;
  count: number;
  managersEach: number;
  tags: string[];
  runUntagged: boolean;
  version: string;
  architecture: string;
  systemIdPrefix: 's_' | 'r_';
  createdDaysAgo: number;
  maintenanceNote: string | null;
  subnet: string;
}

/**
 * Builds runners, their managers and the IDs of both. Runner managers of
 * Kubernetes fleets get `r_` system IDs, as GitLab Runner generates for a
 * read-only config (a pod), and VMs get `s_` IDs.
 */
class RunnerFactory {
  private nextRunnerId = 1;
  private nextManagerId = 1;
  readonly runners: Runner[] = [];

  constructor(
    private readonly random: SeededRandom,
    private readonly timeline: MigrationTimeline,
  ) {}

  addRunner(
    runner: Omit<Runner, 'id' | 'managers'>,
    managers: number,
    make: (index: number) => Omit<RunnerManager, 'id'>,
  ): Runner {
    const created: Runner = {
      ...runner,
      id: this.nextRunnerId++,
      managers: [],
    };
    for (let i = 0; i < managers; i += 1) {
      created.managers.push({ ...make(i), id: this.nextManagerId++ });
    }
    this.runners.push(created);
    return created;
  }

  addFleet(
    spec: FleetSpec,
    configure?: (runner: Runner, index: number) => void,
  ) {
    const { now } = this.timeline;
    for (let index = 0; index < spec.count; index += 1) {
      const createdAt = now - spec.createdDaysAgo * DAY + index * HOUR;
      const runner = this.addRunner(
        {
          description: spec.description(index),
          runnerType: 'instance_type',
          tagList: [...spec.tags],
          runUntagged: spec.runUntagged,
          paused: false,
          locked: false,
          accessLevel: 'not_protected',
          maximumTimeout: 3 * 3600,
          maintenanceNote: spec.maintenanceNote,
          createdAt,
          fleet: spec.fleet,
          cluster: spec.cluster,
          groupIds: [],
          projectIds: [],
          jobsFrom: createdAt,
          jobsUntil: FOREVER,
          untaggedFrom: spec.runUntagged ? createdAt : FOREVER,
          untaggedUntil: spec.runUntagged ? FOREVER : 0,
          tokenExpiresAt: null,
          createdByUserId: 1,
        },
        spec.managersEach,
        managerIndex => ({
          systemId: `${spec.systemIdPrefix}${this.random.hex(12)}`,
          version: spec.version,
          revision: revisionOf(spec.version),
          platform: 'linux',
          architecture: spec.architecture,
          createdAt: createdAt + managerIndex * MINUTE,
          contact: { kind: 'live', lagMs: this.random.int(500, 45000) },
          ipAddress: `${spec.subnet}.${index * 8 + managerIndex + 10}`,
        }),
      );
      configure?.(runner, index);
    }
  }
}

/** GitLab Runner revisions of the versions the seed uses (short commit SHAs). */
const REVISIONS: Record<string, string> = {
  '16.11.4': 'a2b5e1c4',
  '17.11.3': '74a4c0e5',
  '18.5.1': '3f1d7c2b',
  '18.6.0': 'c9e0b8a1',
};

function revisionOf(version: string): string {
  return REVISIONS[version] ?? '00000000';
}

/** Creates the instance runners of the example instance (docs/example-instance.md). */
function addInstanceRunners(
  factory: RunnerFactory,
  random: SeededRandom,
  timeline: MigrationTimeline,
) {
  const { now } = timeline;
  const decommissionNote =
    'Docker Machine fleet (draining). Decommission date: 2027-03-31; after it, jobs tagged docker are blocked.';

  factory.addFleet(
    {
      fleet: 'fleet-docker-machine',
      description: index =>
        `docker-machine-${String(index + 1).padStart(
          2,
          '0',
        )}.runners.example.org`,
      count: 20,
      managersEach: 1,
      tags: ['docker'],
      runUntagged: false,
      version: '16.11.4',
      architecture: 'amd64',
      systemIdPrefix: 's_',
      createdDaysAgo: 1100,
      maintenanceNote: decommissionNote,
      subnet: '10.20.0',
    },
    (runner, index) => {
      // Docker Machine took untagged jobs until phase 2 of the migration.
      runner.untaggedFrom = runner.createdAt;
      runner.untaggedUntil = timeline.untaggedToKubernetesAt;
      if (index >= 17) {
        // Stale: no contact for more than 7 days.
        const contactAt =
          now - (8 + (index - 17) * 2) * DAY - random.int(0, 5) * HOUR;
        setFixedContact(runner, contactAt);
      } else if (index >= 15) {
        // Offline: no contact for more than 2 hours.
        const contactAt =
          now - (3 + (index - 15) * 4) * HOUR - random.int(0, 50) * MINUTE;
        setFixedContact(runner, contactAt);
      }
    },
  );

  factory.addFleet(
    {
      fleet: 'fleet-k8s-default',
      cluster: 'cluster-default-v3',
      description: () => 'k8s-default @ cluster-default-v3',
      count: 4,
      managersEach: 3,
      tags: ['k8s-default'],
      runUntagged: true,
      version: '18.6.0',
      architecture: 'amd64',
      systemIdPrefix: 'r_',
      createdDaysAgo: (now - timeline.defaultV3CreatedAt) / DAY,
      maintenanceNote: null,
      subnet: '10.31.4',
    },
    runner => {
      runner.untaggedFrom = timeline.untaggedToKubernetesAt;
    },
  );

  factory.addFleet(
    {
      fleet: 'fleet-k8s-default',
      cluster: 'cluster-default-v2',
      description: () => 'k8s-default @ cluster-default-v2',
      count: 4,
      managersEach: 3,
      tags: ['k8s-default'],
      runUntagged: true,
      version: '17.11.3',
      architecture: 'amd64',
      systemIdPrefix: 'r_',
      createdDaysAgo: 420,
      maintenanceNote:
        'Paused: cluster-default-v2 is draining; cluster-default-v3 replaces it.',
      subnet: '10.31.2',
    },
    runner => {
      runner.paused = true;
      runner.jobsUntil = timeline.defaultV2PausedAt;
      runner.untaggedFrom = timeline.untaggedToKubernetesAt;
    },
  );

  const kubernetesFleets: Array<
    Omit<FleetSpec, 'runUntagged' | 'systemIdPrefix' | 'maintenanceNote'> & {
      maintenanceNote?: string;
    }
  > = [
    {
      fleet: 'fleet-k8s-cvmfs',
      cluster: 'cluster-cvmfs',
      description: () => 'k8s-cvmfs @ cluster-cvmfs',
      count: 2,
      managersEach: 2,
      tags: ['cvmfs'],
      version: '18.6.0',
      architecture: 'amd64',
      createdDaysAgo: 240,
      subnet: '10.32.0',
    },
    {
      fleet: 'fleet-k8s-arm',
      cluster: 'cluster-arm',
      description: () => 'k8s-arm @ cluster-arm',
      count: 2,
      managersEach: 2,
      tags: ['arm64', 'aarch64'],
      version: '18.6.0',
      architecture: 'arm64',
      createdDaysAgo: 180,
      subnet: '10.33.0',
    },
    {
      fleet: 'fleet-k8s-fpga',
      cluster: 'cluster-fpga',
      description: () => 'k8s-fpga @ cluster-fpga',
      count: 1,
      managersEach: 1,
      tags: ['fpga'],
      version: '18.5.1',
      architecture: 'amd64',
      createdDaysAgo: 150,
      subnet: '10.34.0',
      maintenanceNote:
        'Restricted: FPGA cards are reserved for the hardware group.',
    },
    {
      fleet: 'fleet-k8s-spark',
      cluster: 'cluster-spark',
      description: () => 'k8s-spark @ cluster-spark',
      count: 2,
      managersEach: 2,
      tags: ['spark'],
      version: '18.5.1',
      architecture: 'amd64',
      createdDaysAgo: 120,
      subnet: '10.35.0',
      maintenanceNote: 'Access on request: ask the platform team.',
    },
    {
      fleet: 'fleet-qa-k8s-default',
      cluster: 'cluster-qa',
      description: () => 'qa k8s-default @ cluster-qa',
      count: 2,
      managersEach: 2,
      tags: ['k8s-default', 'qa'],
      version: '18.6.0',
      architecture: 'amd64',
      createdDaysAgo: 90,
      subnet: '10.36.0',
      maintenanceNote: `Lent to fleet-k8s-default until ${new Date(
        timeline.qaLoanExpiresAt,
      )
        .toISOString()
        .slice(0, 10)}.`,
    },
  ];
  for (const spec of kubernetesFleets) {
    factory.addFleet({
      ...spec,
      runUntagged: false,
      systemIdPrefix: 'r_',
      maintenanceNote: spec.maintenanceNote ?? null,
    });
  }
}

function setFixedContact(runner: Runner, contactAt: number) {
  for (const manager of runner.managers) {
    manager.contact = { kind: 'fixed', at: contactAt };
  }
  runner.jobsUntil = contactAt;
}

/**
 * Adds group and project runners until there are `total` runners, for the
 * benchmark sizes. Every fourth extra runner is a group runner; the others
 * are project runners that take the jobs tagged `project-<id>`.
 */
function addExtraRunners(
  factory: RunnerFactory,
  random: SeededRandom,
  timeline: MigrationTimeline,
  total: number,
  groups: Group[],
  projects: Project[],
) {
  const { now } = timeline;
  for (let extraIndex = 0; factory.runners.length < total; extraIndex += 1) {
    addExtraRunner(factory, random, now, extraIndex, groups, projects);
  }
}

function addExtraRunner(
  factory: RunnerFactory,
  random: SeededRandom,
  now: number,
  extraIndex: number,
  groups: Group[],
  projects: Project[],
) {
  const createdAt = now - random.int(20, 700) * DAY;
  const isGroupRunner = extraIndex % 4 === 0 || projects.length === 0;
  const group = groups[Math.floor(extraIndex / 4) % groups.length];
  const project = projects.length
    ? projects[(extraIndex * 7 + 3) % projects.length]
    : undefined;
  const tag = isGroupRunner ? `${group.path}-deploy` : `project-${project!.id}`;
  if (!isGroupRunner) {
    project!.projectRunnerTag = tag;
  }
  const stale = random.chance(0.1);
  const contact = stale
    ? ({ kind: 'fixed', at: now - random.int(8, 90) * DAY } as const)
    : ({ kind: 'live', lagMs: random.int(500, 60000) } as const);
  const version = random.pick(['17.11.3', '18.5.1', '18.6.0']);
  const systemId = `s_${random.hex(12)}`;
  factory.addRunner(
    {
      description: isGroupRunner
        ? `${group.path} deploy runner ${extraIndex + 1}`
        : `${project!.path} runner ${extraIndex + 1}`,
      runnerType: isGroupRunner ? 'group_type' : 'project_type',
      tagList: [tag, 'shell'],
      runUntagged: false,
      paused: false,
      locked: !isGroupRunner,
      accessLevel: 'not_protected',
      maximumTimeout: null,
      maintenanceNote: null,
      createdAt,
      groupIds: isGroupRunner ? [group.id] : [],
      projectIds: isGroupRunner ? [] : [project!.id],
      jobsFrom: createdAt,
      jobsUntil: contact.kind === 'fixed' ? contact.at : FOREVER,
      untaggedFrom: FOREVER,
      untaggedUntil: 0,
      tokenExpiresAt: null,
      createdByUserId: 1,
    },
    1,
    () => ({
      systemId,
      version,
      revision: revisionOf(version),
      platform: 'linux',
      architecture: 'amd64',
      createdAt,
      contact,
      ipAddress: `10.40.${Math.floor(extraIndex / 250)}.${
        (extraIndex % 250) + 2
      }`,
    }),
  );
}

export function createRunners(options: {
  random: SeededRandom;
  timeline: MigrationTimeline;
  total: number;
  groups: Group[];
  projects: Project[];
}): Runner[] {
  const factory = new RunnerFactory(options.random, options.timeline);
  addInstanceRunners(factory, options.random, options.timeline);
  addExtraRunners(
    factory,
    options.random,
    options.timeline,
    options.total,
    options.groups,
    options.projects,
  );
  return factory.runners;
}
