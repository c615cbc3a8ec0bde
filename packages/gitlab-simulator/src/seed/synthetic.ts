import { JobTemplate, MigrationPhase, Project } from '../model';
import { stringifyCiYaml } from '../ci/yaml';

/** Path of the project whose scheduled pipeline runs the recorded burst. */
export const BURST_PROJECT_PATH = 'physics/mc-production';
/** Parallel jobs of the burst pipeline. */
export const BURST_JOB_COUNT = 100;

interface JobSpec {
  name: string;
  stage: string;
  tags: string[];
  body: Record<string, unknown>;
}

function phaseTags(phase: MigrationPhase): string[] {
  switch (phase) {
    case 'legacy':
      return ['docker'];
    case 'opted-in':
      return ['k8s-default'];
    default:
      return [];
  }
}

function buildJob(phase: MigrationPhase): Record<string, unknown> {
  if (phase === 'migrated') {
    return {
      image: {
        name: 'gcr.io/kaniko-project/executor:v1.23.2-debug',
        entrypoint: [''],
      },
      variables: {
        KUBERNETES_CPU_REQUEST: '2',
        KUBERNETES_MEMORY_REQUEST: '4Gi',
      },
      script: [
        '/kaniko/executor --context "$CI_PROJECT_DIR" --destination "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"',
      ],
    };
  }
  return {
    image: 'docker:27',
    services: ['docker:27-dind'],
    variables: { DOCKER_TLS_CERTDIR: '/certs' },
    script: [
      'docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .',
      'docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"',
    ],
  };
}

const HARDWARE_JOBS: Record<string, Omit<JobSpec, 'tags'>> = {
  cvmfs: {
    name: 'analysis:cvmfs',
    stage: 'test',
    body: {
      image: 'registry.example.org/physics/el9-base:latest',
      script: ['source /cvmfs/sw.example.org/setup.sh', './run-analysis.sh'],
    },
  },
  arm64: {
    name: 'build:arm64',
    stage: 'build',
    body: {
      image: 'gcc:14',
      script: ['cmake -B build', 'cmake --build build'],
    },
  },
  gpu: {
    name: 'train:gpu',
    stage: 'test',
    body: {
      image: 'nvidia/cuda:12.6.0-runtime-ubuntu24.04',
      script: ['nvidia-smi', 'python train.py --epochs 1'],
    },
  },
  fpga: {
    name: 'synthesis:fpga',
    stage: 'build',
    body: {
      image: 'registry.example.org/hardware/vitis:2024.2',
      script: ['make synth'],
    },
  },
  spark: {
    name: 'etl:spark',
    stage: 'test',
    body: { image: 'apache/spark:3.5.3', script: ['spark-submit jobs/etl.py'] },
  },
};

function jobSpecs(project: Project): JobSpec[] {
  const tags = phaseTags(project.phase);
  const specs: JobSpec[] = [
    { name: 'build', stage: 'build', tags, body: buildJob(project.phase) },
    {
      name: 'unit-tests',
      stage: 'test',
      tags,
      body: {
        image: 'python:3.12',
        script: ['pip install -r requirements.txt', 'pytest -q'],
      },
    },
    {
      name: 'lint',
      stage: 'test',
      tags,
      body: {
        image: 'python:3.12',
        script: ['pip install ruff', 'ruff check .'],
      },
    },
  ];
  for (const hardwareTag of project.hardwareTags) {
    const spec = HARDWARE_JOBS[hardwareTag];
    if (spec) {
      const jobTags = hardwareTag === 'arm64' ? ['arm64'] : [hardwareTag];
      specs.push({ ...spec, tags: jobTags });
    }
  }
  if (project.projectRunnerTag) {
    specs.push({
      name: 'integration:project-runner',
      stage: 'test',
      tags: [project.projectRunnerTag],
      body: { script: ['./ci/integration.sh'] },
    });
  }
  specs.push({
    name: 'deploy',
    stage: 'deploy',
    tags,
    body: {
      image: 'alpine:3.20',
      script: ['./ci/deploy.sh'],
      rules: [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }],
    },
  });
  return specs;
}

function isBurstProject(project: Project): boolean {
  return `${project.group.path}/${project.path}` === BURST_PROJECT_PATH;
}

function stagesOf(project: Project): string[] {
  return isBurstProject(project)
    ? ['build', 'test', 'simulate', 'deploy']
    : ['build', 'test', 'deploy'];
}

/** Job templates of a synthetic project, in the order of its CI file. */
export function syntheticJobTemplates(project: Project): JobTemplate[] {
  const stages = stagesOf(project);
  return jobSpecs(project).map(spec => ({
    name: spec.name,
    stage: spec.stage,
    stageIndex: stages.indexOf(spec.stage),
    tags: spec.tags,
  }));
}

/** Templates of the scheduled parallel job of the burst project. */
export function burstJobTemplates(count: number): JobTemplate[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `mc-production ${index + 1}/${count}`,
    stage: 'simulate',
    stageIndex: 2,
    tags: ['k8s-default'],
  }));
}

const PHASE_COMMENTS: Record<MigrationPhase, string> = {
  legacy: 'Runs on the Docker Machine fleet (tag docker).',
  'opted-in':
    'Opted in to the Kubernetes default fleet with the k8s-default tag.',
  'on-kubernetes': 'Untagged jobs run on the Kubernetes default fleet.',
  migrated:
    'Migrated: builds images without Docker-in-Docker and sets Kubernetes resource requests.',
};

/** Renders the `.gitlab-ci.yml` of a synthetic project. */
export function renderSyntheticCi(project: Project): string {
  const config: Record<string, unknown> = { stages: stagesOf(project) };
  for (const spec of jobSpecs(project)) {
    const job: Record<string, unknown> = { stage: spec.stage };
    if (spec.tags.length > 0) {
      job.tags = spec.tags;
    }
    Object.assign(job, spec.body);
    if (!isBurstProject(project) || spec.name !== 'deploy') {
      config[spec.name] = job;
    } else {
      config['mc-production'] = {
        stage: 'simulate',
        tags: ['k8s-default'],
        parallel: BURST_JOB_COUNT,
        image: 'registry.example.org/physics/mc-generator:2026.11',
        script: [
          './generate-events.sh --events 50000 --shard "$CI_NODE_INDEX"',
        ],
        rules: [{ if: '$CI_PIPELINE_SOURCE == "schedule"' }],
      };
      config[spec.name] = job;
    }
  }
  return `# ${PHASE_COMMENTS[project.phase]}\n${stringifyCiYaml(config)}`;
}
