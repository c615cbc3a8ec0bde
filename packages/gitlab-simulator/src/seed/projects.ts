import { jobTemplatesOf } from '../ci/jobs';
import { CiFileReader, resolveCiConfig } from '../ci/resolve';
import { Group, MigrationPhase, Project } from '../model';
import { SeededRandom } from '../random';
import { DAY, HOUR } from '../time';
import { CorpusProject } from './corpus';
import { MigrationTimeline } from './runners';
import { BURST_PROJECT_PATH, syntheticJobTemplates } from './synthetic';

const PROJECT_WORDS: Record<string, string[]> = {
  physics: [
    'detector-simulation',
    'track-reconstruction',
    'event-generator',
    'calorimetry',
    'beam-analysis',
    'luminosity',
    'trigger-menu',
    'muon-spectrometer',
    'neutrino-fit',
    'dark-matter-search',
    'higgs-analysis',
    'flavour-tagging',
    'pileup-studies',
    'jet-calibration',
    'alignment',
  ],
  ml: [
    'anomaly-detection',
    'jet-tagger',
    'fast-sim-gan',
    'graph-tracking',
    'model-zoo',
    'training-pipelines',
    'feature-store',
    'inference-service',
    'hyperparameter-search',
    'dataset-curation',
  ],
  hardware: [
    'fpga-trigger',
    'readout-firmware',
    'board-tests',
    'timing-distribution',
    'hls-kernels',
    'power-monitoring',
    'optical-links',
    'asic-verification',
  ],
  software: [
    'build-tools',
    'conda-recipes',
    'docs-portal',
    'auth-proxy',
    'data-catalog',
    'web-frontend',
    'message-bus',
    'config-service',
    'metrics-exporter',
    'release-tools',
  ],
  'accelerator-controls': [
    'magnet-control',
    'vacuum-monitor',
    'beam-instrumentation',
    'timing-system',
    'interlock-logic',
    'rf-feedback',
    'orbit-correction',
    'cryo-monitoring',
  ],
};

const GROUP_WEIGHTS: Record<string, number> = {
  physics: 0.3,
  ml: 0.2,
  hardware: 0.15,
  software: 0.2,
  'accelerator-controls': 0.15,
};

const PHASES: MigrationPhase[] = [
  'legacy',
  'opted-in',
  'on-kubernetes',
  'migrated',
];
const PHASE_WEIGHTS = [0.3, 0.2, 0.3, 0.2];

/** Chance of each hardware tag per group. */
const HARDWARE_CHANCES: Record<string, Record<string, number>> = {
  physics: { cvmfs: 0.3, arm64: 0.04, gpu: 0.03, spark: 0.05 },
  ml: { gpu: 0.3, spark: 0.1, arm64: 0.03 },
  hardware: { fpga: 0.35, arm64: 0.1 },
  software: { arm64: 0.08, cvmfs: 0.05 },
  'accelerator-controls': { arm64: 0.05 },
};

/** Every sixth project slot contains a corpus project, while the corpus lasts. */
const CORPUS_SLOT_INTERVAL = 6;

/** Creates a reader over a fixed set of files, for seeding and for linting stored files. */
export function mapFileReader(
  projectPath: string,
  files: ReadonlyMap<string, string>,
  openProject: CiFileReader['openProject'] = () => undefined,
): CiFileReader {
  return {
    projectPath,
    readLocal: filePath => files.get(filePath),
    listLocal: () => [...files.keys()],
    openProject,
  };
}

function corpusGroup(
  corpus: CorpusProject,
  groups: Group[],
  random: SeededRandom,
): Group {
  const byPath = (groupPath: string) =>
    groups.find(group => group.path === groupPath)!;
  const features = corpus.features;
  if (features.includes('fpga')) return byPath('hardware');
  if (features.includes('gpu')) return byPath('ml');
  if (
    features.includes('cvmfs') ||
    /^(cern|acts|AIDASoft|key4hep|HEP|hep|xrootd|alpaka|Computational|gromacs)/.test(
      corpus.upstream,
    )
  ) {
    return byPath('physics');
  }
  return random.chance(0.7)
    ? byPath('software')
    : byPath('accelerator-controls');
}

function corpusHardwareTags(features: string[]): string[] {
  const tags: string[] = [];
  if (features.includes('cvmfs')) tags.push('cvmfs');
  if (features.includes('arm')) tags.push('arm64');
  if (features.includes('gpu')) tags.push('gpu');
  if (features.includes('fpga')) tags.push('fpga');
  return tags;
}

export interface ProjectSeedOptions {
  random: SeededRandom;
  timeline: MigrationTimeline;
  count: number;
  groups: Group[];
  corpus: CorpusProject[];
}

class ProjectNamer {
  private readonly used = new Map<string, Set<string>>();
  private readonly counters = new Map<string, number>();

  claim(group: Group, base: string): string {
    const used = this.used.get(group.path) ?? new Set<string>();
    this.used.set(group.path, used);
    let name = base;
    let suffix = 2;
    while (used.has(name)) {
      name = `${base}-${suffix}`;
      suffix += 1;
    }
    used.add(name);
    return name;
  }

  next(group: Group): string {
    const words = PROJECT_WORDS[group.path];
    const index = this.counters.get(group.path) ?? 0;
    this.counters.set(group.path, index + 1);
    const round = Math.floor(index / words.length);
    const base = words[index % words.length];
    return this.claim(group, round === 0 ? base : `${base}-${round + 1}`);
  }
}

function skewedActivity(random: SeededRandom): number {
  // Cubing a uniform value gives a long tail: a few busy projects, many quiet ones.
  return 0.05 + 10 * random.next() ** 3;
}

function createCorpusProject(
  id: number,
  corpus: CorpusProject,
  options: ProjectSeedOptions,
  namer: ProjectNamer,
  random: SeededRandom,
): Project {
  const { timeline } = options;
  const group = corpusGroup(corpus, options.groups, random);
  const path = namer.claim(
    group,
    corpus.upstream.split('/').pop()!.toLowerCase(),
  );
  const entry = corpus.files.get(corpus.entryPath) ?? '';
  const resolved = resolveCiConfig(
    corpus.entryPath,
    entry,
    mapFileReader(`${group.path}/${path}`, corpus.files),
  );
  const jobTemplates = resolved.config ? jobTemplatesOf(resolved.config) : [];
  const usesDocker = jobTemplates.some(template =>
    template.tags.includes('docker'),
  );
  return {
    id,
    name: path,
    path,
    group,
    description: `CI configuration from ${corpus.upstream}`,
    createdAt: timeline.now - random.int(200, 2500) * DAY,
    lastActivityAt: timeline.now - random.int(0, 240) * HOUR,
    defaultBranch: 'main',
    phase: usesDocker ? 'legacy' : 'on-kubernetes',
    hardwareTags: corpusHardwareTags(corpus.features),
    source: {
      kind: 'corpus',
      dir: corpus.dir,
      upstream: corpus.upstream,
      features: corpus.features,
    },
    ciConfigPath: corpus.entryPath === '.gitlab-ci.yml' ? '' : corpus.entryPath,
    jobTemplates,
    // A configuration without jobs (invalid YAML) creates no pipelines.
    activity: jobTemplates.length === 0 ? 0 : skewedActivity(random),
  };
}

function createSyntheticProject(
  id: number,
  group: Group,
  path: string,
  options: ProjectSeedOptions,
  random: SeededRandom,
): Project {
  const { timeline } = options;
  const phase = PHASES[random.weightedIndex(PHASE_WEIGHTS)];
  const hardwareTags = Object.entries(HARDWARE_CHANCES[group.path] ?? {})
    .filter(([, chance]) => random.chance(chance))
    .map(([tag]) => tag);
  let switchedAt: number | undefined;
  if (phase === 'opted-in') {
    switchedAt = timeline.now - random.range(1, 12) * DAY;
  } else if (phase === 'on-kubernetes' && random.chance(0.7)) {
    switchedAt = timeline.now - random.range(2, 14) * DAY;
  }
  const words = path.split('-').join(' ');
  return {
    id,
    name: path,
    path,
    group,
    description: `${words.charAt(0).toUpperCase()}${words.slice(1)} (${
      group.name
    })`,
    createdAt: timeline.now - random.int(30, 2000) * DAY,
    lastActivityAt: timeline.now - random.int(0, 480) * HOUR,
    defaultBranch: 'main',
    phase,
    hardwareTags,
    source: { kind: 'synthetic' },
    ciConfigPath: '',
    jobTemplates: [],
    activity: skewedActivity(random),
    switchedAt,
  };
}

/**
 * Creates the projects: `physics/mc-production` first (it runs the recorded
 * burst), corpus projects in every sixth slot while the corpus lasts, and
 * synthetic projects in the other slots.
 */
export function createProjects(options: ProjectSeedOptions): Project[] {
  const { random, groups, count, corpus } = options;
  const namer = new ProjectNamer();
  const groupWeights = groups.map(group => GROUP_WEIGHTS[group.path] ?? 0.1);
  const projects: Project[] = [];
  let corpusIndex = 0;
  for (let index = 0; index < count; index += 1) {
    const id = index + 1;
    const projectRandom = random.derive(`project:${id}`);
    if (index === 0) {
      const physics = groups.find(group => group.path === 'physics')!;
      const project = createSyntheticProject(
        id,
        physics,
        namer.claim(physics, BURST_PROJECT_PATH.split('/')[1]),
        options,
        projectRandom,
      );
      project.phase = 'opted-in';
      project.switchedAt = undefined;
      project.hardwareTags = [];
      project.activity = 2;
      project.description =
        'Monte Carlo event production; a scheduled pipeline runs 100 parallel jobs';
      projects.push(project);
    } else if (
      index % CORPUS_SLOT_INTERVAL === 1 &&
      corpusIndex < corpus.length
    ) {
      projects.push(
        createCorpusProject(
          id,
          corpus[corpusIndex],
          options,
          namer,
          projectRandom,
        ),
      );
      corpusIndex += 1;
    } else {
      const group = groups[projectRandom.weightedIndex(groupWeights)];
      projects.push(
        createSyntheticProject(
          id,
          group,
          namer.next(group),
          options,
          projectRandom,
        ),
      );
    }
  }
  return projects;
}

/** Fills in job templates of synthetic projects, after runners set project runner tags. */
export function finishSyntheticProjects(projects: Project[]) {
  for (const project of projects) {
    if (project.source.kind === 'synthetic') {
      project.jobTemplates = syntheticJobTemplates(project);
    }
  }
}
