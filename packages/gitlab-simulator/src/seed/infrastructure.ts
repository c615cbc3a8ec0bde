import findUp from 'find-up';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { AccessLevel, Group, Project, User } from '../model';
import { DAY } from '../time';
import { MigrationTimeline } from './runners';

/** Group and project where the platform team keeps the runner deployments. */
export const PLATFORM_GROUP_PATH = 'platform';
export const INFRASTRUCTURE_PROJECT_PATH = 'platform/runner-infrastructure';

const FLEETS_RELATIVE_PATH = path.join(
  'examples',
  'runner-fleet',
  'fleets.yaml',
);

/** A fleet document of examples/runner-fleet/fleets.yaml, as the seed uses it. */
export interface FleetDocument {
  name: string;
  /** The document's text, comments included. */
  text: string;
  executor: string;
  tags: string[];
  runUntagged: boolean;
  clusters: string[];
}

/** Finds examples/runner-fleet/fleets.yaml by walking up from `start`. */
export function findFleetsFile(start: string): string | undefined {
  return findUp.sync(FLEETS_RELATIVE_PATH, { cwd: path.resolve(start) });
}

/** Reads the fleet resources of a multi-document catalog file; other kinds are skipped. */
export function parseFleets(text: string): FleetDocument[] {
  const fleets: FleetDocument[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(
        `The fleets file is not valid YAML: ${document.errors[0].message}`,
      );
    }
    const entity = document.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      spec?: {
        type?: string;
        executor?: string;
        tags?: string[];
        runUntagged?: boolean;
        clusters?: { ref: string }[];
      };
    } | null;
    if (
      entity?.kind !== 'Resource' ||
      entity.spec?.type !== 'gitlab-runner-fleet' ||
      !entity.metadata?.name
    ) {
      continue;
    }
    fleets.push({
      name: entity.metadata.name,
      text: document.toString(),
      executor: entity.spec.executor ?? 'kubernetes',
      tags: entity.spec.tags ?? [],
      runUntagged: entity.spec.runUntagged ?? false,
      clusters: (entity.spec.clusters ?? []).map(cluster =>
        cluster.ref.replace(/^(resource:)?(default\/)?/, ''),
      ),
    });
  }
  return fleets;
}

/** Loads the example fleets, or none when the examples folder is not found. */
export function loadExampleFleets(start: string): FleetDocument[] {
  const file = findFleetsFile(start);
  return file ? parseFleets(fs.readFileSync(file, 'utf8')) : [];
}

export function createPlatformGroup(
  id: number,
  now: number,
  users: User[],
): Group {
  const admin = users.find(user => user.username === 'admin');
  const members = new Map<number, number>();
  if (admin) members.set(admin.id, AccessLevel.owner);
  return {
    id,
    name: 'Platform',
    path: PLATFORM_GROUP_PATH,
    description: 'GitLab runners, runner clusters and their deployment',
    createdAt: now - 1500 * DAY,
    members,
  };
}

/**
 * Creates `platform/runner-infrastructure`. It runs no pipelines in the job
 * history, so the seeded statistics stay those of the research projects.
 */
export function createInfrastructureProject(
  id: number,
  group: Group,
  timeline: MigrationTimeline,
): Project {
  return {
    id,
    name: 'runner-infrastructure',
    path: 'runner-infrastructure',
    group,
    description:
      'Catalog files of the runner fleets and the gitlab-runner deployments of each cluster',
    createdAt: timeline.now - 1400 * DAY,
    lastActivityAt: timeline.now - 2 * DAY,
    defaultBranch: 'main',
    phase: 'migrated',
    hardwareTags: [],
    source: { kind: 'synthetic' },
    ciConfigPath: '',
    jobTemplates: [],
    activity: 0,
  };
}

function runnerValues(fleet: FleetDocument, cluster: string): string {
  const tags = fleet.tags.join(',');
  const secretName = `gitlab-runner-${fleet.name.replace(/^fleet-/, '')}`;
  const config = [
    '[[runners]]',
    '  [runners.kubernetes]',
    '    namespace = "gitlab-runner"',
    '    privileged = false',
    '    allow_privilege_escalation = false',
    '',
  ].join('\n');
  return stringify({
    gitlabUrl: 'https://gitlab.example.org/',
    concurrent: 20,
    rbac: { create: true },
    runners: {
      secret: secretName,
      name: `${fleet.tags[0] ?? fleet.name} @ ${cluster}`,
      tags,
      runUntagged: fleet.runUntagged,
      config,
    },
  });
}

const INFRASTRUCTURE_CI = `# Deploys the runners of each cluster. The runner token of a deployment is
# a masked, protected CI/CD variable of this project; the deploy job turns
# it into the Kubernetes Secret that the chart's runners.secret names.
stages: [validate, deploy]

validate:
  stage: validate
  image: alpine/helm:3.16.2
  tags: [k8s-default]
  script:
    - for values in runners/*/values.yaml; do helm template gitlab/gitlab-runner -f "$values" > /dev/null; done

deploy:
  stage: deploy
  image: alpine/helm:3.16.2
  tags: [k8s-default]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - for dir in runners/*/; do helm upgrade --install "gitlab-runner-$(basename "$dir")" gitlab/gitlab-runner --namespace gitlab-runner -f "$dir/values.yaml"; done
`;

const README = `# runner-infrastructure

Catalog files of the GitLab runner fleets (\`catalog/fleets/\`) and the
values of the gitlab-runner Helm chart for each cluster (\`runners/\`).
Merging to main deploys the changed runners.
`;

/** Files of the first commit of `platform/runner-infrastructure`. */
export function infrastructureFiles(
  fleets: FleetDocument[],
): Map<string, string> {
  const files = new Map<string, string>();
  files.set('.gitlab-ci.yml', INFRASTRUCTURE_CI);
  files.set('README.md', README);
  for (const fleet of fleets) {
    files.set(`catalog/fleets/${fleet.name}.yaml`, fleet.text);
    if (fleet.executor !== 'kubernetes') continue;
    for (const cluster of fleet.clusters) {
      files.set(`runners/${cluster}/values.yaml`, runnerValues(fleet, cluster));
    }
  }
  return files;
}
