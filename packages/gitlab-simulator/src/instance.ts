import { AccessLevel, Group, Project, Runner, User } from './model';
import { SeededRandom } from './random';
import {
  CorpusProject,
  findCorpusDir,
  loadCorpus,
  simulatorPackageDir,
} from './seed/corpus';
import { createProjects, finishSyntheticProjects } from './seed/projects';
import {
  createRunners,
  createTimeline,
  INSTANCE_RUNNER_COUNT,
  MigrationTimeline,
} from './seed/runners';
import { BURST_PROJECT_PATH, renderSyntheticCi } from './seed/synthetic';
import { createGroups, createUsers } from './seed/users';
import {
  createInfrastructureProject,
  createPlatformGroup,
  FleetDocument,
  infrastructureFiles,
  INFRASTRUCTURE_PROJECT_PATH,
  loadExampleFleets,
} from './seed/infrastructure';
import {
  BurstOptions,
  createBurstPipeline,
  DEFAULT_BURST,
  Dispatcher,
  generateHistory,
} from './jobs/history';
import { JobStore, PipelineRecord } from './jobs/store';
import { Repositories } from './repository/repositories';
import { HOUR } from './time';

export interface SeedOptions {
  /** Seed of the pseudo-random generator. */
  seed: number;
  /** Number of projects. */
  projects: number;
  /** Total number of runners, at least the 37 instance runners. */
  runners: number;
  /** The simulated "now" at start, in ms since the epoch. */
  now: number;
  /** Jobs created per day, averaged over a week. */
  jobsPerDay: number;
  /** Days of job history before "now". */
  historyDays: number;
  /** Hours of jobs planned after "now"; they appear as the clock advances. */
  futureHours: number;
  /** Token of the `admin` user. */
  adminToken: string;
  /** Folder with SOURCES.tsv; found by walking up from this package when unset. */
  corpusDir?: string;
}

/**
 * Puts `platform/runner-infrastructure` in place of the last synthetic
 * project, so the project count stays options.projects and corpus projects
 * stay. It runs before runners and job history are seeded, and it has no
 * activity, so no job history refers to the project it replaces.
 */
function placeInfrastructureProject(
  options: SeedOptions,
  timeline: MigrationTimeline,
  users: User[],
  projects: Project[],
): Group | undefined {
  let index = projects.length - 1;
  while (index > 0 && projects[index].source.kind !== 'synthetic') index -= 1;
  if (index <= 0) return undefined;
  const platform = createPlatformGroup(0, options.now, users);
  projects[index] = createInfrastructureProject(
    projects[index].id,
    platform,
    timeline,
  );
  return platform;
}

export interface SeedData {
  options: SeedOptions;
  timeline: MigrationTimeline;
  users: User[];
  groups: Group[];
  projects: Project[];
  runners: Runner[];
  store: JobStore;
  dispatcher: Dispatcher;
  corpus: CorpusProject[];
  /** Corpus files listed in SOURCES.tsv that were not found. */
  missingCorpusFiles: string[];
  /** Fleets of examples/runner-fleet/fleets.yaml, committed to the infrastructure project. */
  fleets: FleetDocument[];
}

/** Creates the seeded instance: users, groups, projects, runners and job history. */
export function createSeedData(options: SeedOptions): SeedData {
  const random = new SeededRandom(options.seed);
  const timeline = createTimeline(options.now);
  const users = createUsers(options.now, options.adminToken);
  const groups = createGroups(options.now, users);
  const corpusDir = options.corpusDir ?? findCorpusDir();
  const loaded = corpusDir
    ? loadCorpus(corpusDir)
    : { projects: [], missing: [] };
  const projects = createProjects({
    random: random.derive('projects'),
    timeline,
    count: options.projects,
    groups,
    corpus: loaded.projects,
  });
  const platform = placeInfrastructureProject(
    options,
    timeline,
    users,
    projects,
  );
  const runners = createRunners({
    random: random.derive('runners'),
    timeline,
    total: Math.max(options.runners, INSTANCE_RUNNER_COUNT),
    groups,
    projects,
  });
  finishSyntheticProjects(projects);
  const { store, dispatcher } = generateHistory({
    random: random.derive('history'),
    timeline,
    projects,
    runners,
    users,
    burstProject: projects.find(
      project => `${project.group.path}/${project.path}` === BURST_PROJECT_PATH,
    ),
    jobsPerDay: options.jobsPerDay,
    historyDays: options.historyDays,
    futureMs: options.futureHours * HOUR,
  });
  // The platform group joins after the runners are seeded, so group
  // runners stay on the research groups.
  if (platform) {
    platform.id = groups.length + 1;
    groups.push(platform);
  }
  const fleets = platform ? loadExampleFleets(corpusDir ?? simulatorPackageDir()) : [];
  return {
    options,
    timeline,
    users,
    groups,
    projects,
    runners,
    store,
    dispatcher,
    corpus: loaded.projects,
    missingCorpusFiles: loaded.missing,
    fleets,
  };
}

export interface MergeRequestRecord {
  id: number;
  iid: number;
  project: Project;
  title: string;
  description: string;
  sourceBranch: string;
  targetBranch: string;
  author: User;
  assignee?: User;
  reviewers: User[];
  labels: string[];
  removeSourceBranch: boolean;
  state: 'opened' | 'closed' | 'merged';
  createdAt: number;
  sha: string;
}

export interface VariableRecord {
  key: string;
  value: string;
  variableType: 'env_var' | 'file';
  protected: boolean;
  masked: boolean;
  hidden: boolean;
  raw: boolean;
  environmentScope: string;
  description: string | null;
}

function readmeOf(project: Project, corpus?: CorpusProject): string {
  const lines = [`# ${project.name}`, '', project.description, ''];
  if (corpus) {
    lines.push(
      `The CI files of this simulated project are copied from ${corpus.upstream} at commit ${corpus.commit}.`,
      '',
    );
  }
  return lines.join('\n');
}

/**
 * The running simulator's data: the seed plus what clients created (runners,
 * branches, commits, merge requests, variables, bursts).
 */
export class SimulatorInstance {
  readonly users: User[];
  readonly groups: Group[];
  readonly projects: Project[];
  readonly runners: Runner[];
  readonly store: JobStore;
  readonly repositories: Repositories;
  readonly mergeRequests = new Map<number, MergeRequestRecord[]>();
  readonly variables = new Map<number, VariableRecord[]>();
  private readonly projectsByPath = new Map<string, Project>();
  private readonly corpusByDir = new Map<string, CorpusProject>();
  private readonly random: SeededRandom;
  private nextMergeRequestId = 1;
  private lastRunnerId = 0;
  private burstCount = 0;

  constructor(
    readonly seed: SeedData,
    /** Returns the simulated time in ms since the epoch. */
    readonly now: () => number,
  ) {
    this.users = seed.users;
    this.groups = seed.groups;
    this.projects = seed.projects;
    this.runners = seed.runners;
    this.store = seed.store;
    this.random = new SeededRandom(seed.options.seed).derive('runtime');
    for (const project of seed.projects) {
      this.projectsByPath.set(this.fullPath(project).toLowerCase(), project);
    }
    for (const corpus of seed.corpus) {
      this.corpusByDir.set(corpus.dir, corpus);
    }
    this.repositories = new Repositories(seed.options.seed, project =>
      this.baseFiles(project),
    );
  }

  fullPath(project: Project): string {
    return `${project.group.path}/${project.path}`;
  }

  /** Files of a project's first commit. */
  baseFiles(project: Project): Map<string, string> {
    if (this.fullPath(project) === INFRASTRUCTURE_PROJECT_PATH) {
      return infrastructureFiles(this.seed.fleets);
    }
    const files = new Map<string, string>();
    if (project.source.kind === 'corpus') {
      const corpus = this.corpusByDir.get(project.source.dir);
      for (const [path, content] of corpus?.files ?? []) {
        files.set(path, content);
      }
      if (!files.has('README.md')) {
        files.set('README.md', readmeOf(project, corpus));
      }
    } else {
      files.set('.gitlab-ci.yml', renderSyntheticCi(project));
      files.set('README.md', readmeOf(project));
    }
    return files;
  }

  userByToken(token: string): User | undefined {
    return this.users.find(user => user.token === token);
  }

  /** Finds a project by numeric ID or by full path such as `physics/mc-production`. */
  findProject(idOrPath: string): Project | undefined {
    if (/^\d+$/.test(idOrPath)) {
      return this.projects[Number(idOrPath) - 1];
    }
    return this.projectsByPath.get(idOrPath.toLowerCase());
  }

  findGroup(idOrPath: string): Group | undefined {
    return /^\d+$/.test(idOrPath)
      ? this.groups.find(group => group.id === Number(idOrPath))
      : this.groups.find(
          group => group.path.toLowerCase() === idOrPath.toLowerCase(),
        );
  }

  findRunner(id: number): Runner | undefined {
    return this.runners.find(runner => runner.id === id);
  }

  /** Returns the user's access level in a group (0 when not a member). */
  groupAccess(user: User, group: Group): number {
    return group.members.get(user.id) ?? 0;
  }

  /** Returns the user's access level in a project, inherited from its group. */
  projectAccess(user: User, project: Project): number {
    return this.groupAccess(user, project.group);
  }

  /** Returns whether the user has `level` in the project; administrators have every level. */
  canInProject(user: User, project: Project, level: number): boolean {
    return user.isAdmin || this.projectAccess(user, project) >= level;
  }

  /** Runners the user owns or maintains: group runners of owned groups, project runners of maintained projects. */
  runnersOfUser(user: User): Runner[] {
    return this.runners.filter(runner => {
      if (runner.runnerType === 'group_type') {
        return runner.groupIds.some(id => {
          const group = this.groups.find(candidate => candidate.id === id);
          return (
            group !== undefined &&
            this.groupAccess(user, group) >= AccessLevel.owner
          );
        });
      }
      if (runner.runnerType === 'project_type') {
        return runner.projectIds.some(id => {
          const project = this.projects[id - 1];
          return (
            project !== undefined &&
            this.projectAccess(user, project) >= AccessLevel.maintainer
          );
        });
      }
      return false;
    });
  }

  /** Registers a runner created with POST /user/runners; it has no managers until a runner process contacts GitLab. */
  addRunner(
    fields: Omit<
      Runner,
      | 'id'
      | 'managers'
      | 'jobsFrom'
      | 'jobsUntil'
      | 'untaggedFrom'
      | 'untaggedUntil'
    >,
  ): { runner: Runner; token: string } {
    // IDs are never reused, also after DELETE /runners/:id, as in GitLab.
    this.lastRunnerId = Math.max(
      this.lastRunnerId,
      this.runners.reduce((max, runner) => Math.max(max, runner.id), 0),
    );
    this.lastRunnerId += 1;
    const id = this.lastRunnerId;
    const runner: Runner = {
      ...fields,
      id,
      managers: [],
      jobsFrom: Number.MAX_SAFE_INTEGER,
      jobsUntil: Number.MAX_SAFE_INTEGER,
      untaggedFrom: Number.MAX_SAFE_INTEGER,
      untaggedUntil: 0,
    };
    this.runners.push(runner);
    const token = `glrt-${this.random.derive(`runner-token:${id}`).token(20)}`;
    return { runner, token };
  }

  /** Removes a runner, as DELETE /runners/:id does. Jobs it ran stay in the history. */
  removeRunner(id: number): boolean {
    const index = this.runners.findIndex(runner => runner.id === id);
    if (index === -1) return false;
    this.runners.splice(index, 1);
    return true;
  }

  nextMergeRequest(): number {
    return this.nextMergeRequestId++;
  }

  /**
   * Starts a burst now: a pipeline of `physics/mc-production` whose parallel
   * jobs start within `rampMs` on the default fleet.
   */
  startBurst(options: Partial<BurstOptions> = {}): PipelineRecord | undefined {
    const project = this.findProject(BURST_PROJECT_PATH) ?? this.projects[0];
    if (!project) {
      return undefined;
    }
    this.burstCount += 1;
    return createBurstPipeline(
      {
        store: this.store,
        dispatcher: this.seed.dispatcher,
        users: this.users,
      },
      this.runners,
      project,
      this.now(),
      'api',
      { ...DEFAULT_BURST, ...options },
      this.random.derive(`burst:${this.burstCount}`),
    );
  }
}
