import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { FleetClusterLoad } from '@runner-fleet/plugin-runner-fleet-common';
import type { GitLabJob } from '../lib/gitlab';
import type { Fleet } from './fleets';

/**
 * Runner description `<tag> @ <cluster>`, the naming that discovery's
 * default `mapping.namingPattern` reads the cluster from.
 */
const CLUSTER_IN_DESCRIPTION = /^.+? @ (\S+)$/;

/**
 * Turns a cluster name into an entity name the way discovery does: runs of
 * characters other than `a-z0-9` become one dash.
 * NOTE: discovery shortens names over 63 characters with a hash suffix;
 * such clusters resolve here only when `spec.clusters` lists them.
 */
function toEntityName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Resolves the cluster a runner runs on to a catalog reference. A cluster
 * named in the description is matched by entity name against
 * `spec.clusters` first, and otherwise put in the fleet's namespace, as
 * discovery does. Without a cluster in the description, a fleet with a
 * single cluster in `spec.clusters` gets that cluster.
 */
export function clusterRefOfRunner(
  fleet: Pick<Fleet, 'namespace' | 'clusterRefs'>,
  description: string | undefined,
): string | undefined {
  const declaredRefs = fleet.clusterRefs ?? [];
  const name = CLUSTER_IN_DESCRIPTION.exec((description ?? '').trim())?.[1];
  if (name) {
    const entityName = toEntityName(name);
    const declared = declaredRefs.find(ref => {
      try {
        return parseEntityRef(ref, { defaultKind: 'resource' }).name === entityName;
      } catch {
        return false;
      }
    });
    return (
      declared ??
      stringifyEntityRef({ kind: 'resource', namespace: fleet.namespace, name: entityName })
    );
  }
  return declaredRefs.length === 1 ? declaredRefs[0] : undefined;
}

/** Jobs of one runner, as the sampler fetched them. */
export interface RunnerJobs {
  runnerId: number;
  running: GitLabJob[];
  /** Jobs that started in the sampling window. */
  startedInWindow: GitLabJob[];
}

/**
 * Counts running jobs and jobs started in the window per cluster and
 * each cluster's share of the started jobs. Every cluster of `spec.clusters`
 * is listed, with zeros when it took no job, followed by clusters found
 * only in runner descriptions, sorted by reference.
 */
export function countJobsByCluster(
  fleet: Pick<Fleet, 'namespace' | 'clusterRefs'>,
  perRunner: RunnerJobs[],
): FleetClusterLoad[] {
  const declaredRefs = fleet.clusterRefs ?? [];
  const counts = new Map<string, { running: number; started: Set<number> }>();
  for (const ref of declaredRefs) counts.set(ref, { running: 0, started: new Set() });

  for (const { running, startedInWindow } of perRunner) {
    const description = [...running, ...startedInWindow].find(job => job.runner?.description)
      ?.runner?.description;
    // NOTE: jobs of a runner whose cluster is unknown (no `@ <cluster>` in its
    // description and not exactly one cluster in spec.clusters) are left out
    // of every cluster, so the shares cover the attributed jobs only.
    const clusterRef = clusterRefOfRunner(fleet, description);
    if (!clusterRef) continue;
    let entry = counts.get(clusterRef);
    if (!entry) {
      entry = { running: 0, started: new Set() };
      counts.set(clusterRef, entry);
    }
    entry.running += running.length;
    for (const job of startedInWindow) entry.started.add(job.id);
  }

  const declared = new Set(declaredRefs);
  const refs = [
    ...declaredRefs,
    ...[...counts.keys()].filter(ref => !declared.has(ref)).sort(),
  ];
  const totalStarted = refs.reduce((sum, ref) => sum + counts.get(ref)!.started.size, 0);
  return refs.map(ref => {
    const entry = counts.get(ref)!;
    return {
      clusterRef: ref,
      runningJobs: entry.running,
      jobsStarted: entry.started.size,
      share: totalStarted > 0 ? Math.round((entry.started.size / totalStarted) * 10_000) / 10_000 : 0,
    };
  });
}
