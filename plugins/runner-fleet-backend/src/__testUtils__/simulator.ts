import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  startGitLabSimulator,
  type GitLabSimulatorOptions,
  type RunningGitLabSimulator,
} from '@runner-fleet/gitlab-simulator';
import { createGitLabClient } from '@runner-fleet/plugin-runner-fleet-node';
import { createGitLabApi } from '../lib/sharedClient';
import type { GitLabApi } from '../lib/gitlab';

/** Config that points `integrations.gitlab` at a running simulator. */
export function simulatorConfig(sim: RunningGitLabSimulator, extra: Record<string, unknown> = {}) {
  const url = new URL(sim.url);
  return {
    integrations: {
      gitlab: [{ host: url.host, apiBaseUrl: `${sim.url}/api/v4`, baseUrl: sim.url, token: sim.token }],
    },
    ...extra,
  };
}

export async function startSimulator(options: GitLabSimulatorOptions = {}) {
  return startGitLabSimulator({ port: 0, logLevel: 'silent', ...options });
}

/** Creates the backend's GitLab API over the shared client, pointed at the simulator. */
export function simulatorGitLabApi(
  sim: RunningGitLabSimulator,
  logger: LoggerService = mockServices.logger.mock(),
): GitLabApi {
  return createGitLabApi(
    createGitLabClient({
      config: new ConfigReader(simulatorConfig(sim)),
      logger,
    }),
  );
}

/** Fleet entities of the simulator's seeded instance runners, with `spec.live.runnerIds` as discovery writes it. */
export function fleetEntities(sim: RunningGitLabSimulator, options: { withRunnerIds?: boolean } = {}): Entity[] {
  const byFleet = new Map<string, number[]>();
  const tagsByFleet = new Map<string, string[]>();
  for (const runner of sim.instance.runners) {
    if (!runner.fleet) continue;
    byFleet.set(runner.fleet, [...(byFleet.get(runner.fleet) ?? []), runner.id]);
    tagsByFleet.set(runner.fleet, runner.tagList);
  }
  return [...byFleet].map(([name, runnerIds]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'gitlab-runner-fleet',
      owner: 'group:default/platform-team',
      lifecycle: name === 'fleet-docker-machine' ? 'draining' : 'production',
      executor: name === 'fleet-docker-machine' ? 'docker+machine' : 'kubernetes',
      tags: tagsByFleet.get(name) ?? [],
      runUntagged: name === 'fleet-k8s-default',
      concurrency: 100,
      ...(options.withRunnerIds === false ? {} : { live: { runnerIds } }),
    },
  }));
}

/** Component entities for the first `count` simulator projects, with the project-slug annotation. */
export function componentEntities(sim: RunningGitLabSimulator, count: number): Entity[] {
  return sim.instance.projects.slice(0, count).map(project => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${project.group.path}-${project.path}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63),
      namespace: 'default',
      annotations: { 'gitlab.com/project-slug': sim.instance.fullPath(project) },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `group:default/${project.group.path}` },
  }));
}

/** Sum of simulator requests whose route key contains `fragment`. */
export function requestsTo(sim: RunningGitLabSimulator, fragment: string): number {
  let total = 0;
  for (const [route, count] of sim.stats.byRoute) {
    if (route.includes(fragment)) total += count;
  }
  return total;
}
