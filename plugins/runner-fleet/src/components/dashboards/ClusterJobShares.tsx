import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  FleetClusterLoad,
  FleetLoad,
  FleetLoadResponse,
} from '@runner-fleet/plugin-runner-fleet-common';
import { chartColor, formatPercent } from '../shared';
import { normaliseResourceRef } from './relatedFleets';

/** Jobs of one cluster behind a fleet, with the cluster's role in an upgrade. */
export interface ClusterJobShare extends FleetClusterLoad {
  role?: string;
}

/**
 * Joins a fleet's clusters from the catalog with the jobs per cluster of its
 * newest sample. Declared clusters come first, in spec order, with zeros
 * when the sample has no jobs for them. Clusters that only the sample names
 * (runners whose description points at an undeclared cluster) follow.
 * Returns undefined when the load has no jobs per cluster, which is the
 * case for samples from Prometheus and for backends older than this field.
 */
export function clusterJobShares(
  clusters: Array<{ ref: string; role?: string }>,
  load: FleetLoad | FleetLoadResponse | undefined,
): ClusterJobShare[] | undefined {
  const measured = load && 'clusters' in load ? load.clusters : undefined;
  if (!measured || measured.length === 0) {
    return undefined;
  }

  const byRef = new Map<string, FleetClusterLoad>();
  for (const cluster of measured) {
    const ref = normaliseResourceRef(cluster.clusterRef) ?? cluster.clusterRef;
    byRef.set(ref.toLocaleLowerCase('en-US'), cluster);
  }

  const shares: ClusterJobShare[] = clusters.map(cluster => {
    const key = cluster.ref.toLocaleLowerCase('en-US');
    const jobs = byRef.get(key);
    byRef.delete(key);
    return {
      clusterRef: cluster.ref,
      role: cluster.role,
      runningJobs: jobs?.runningJobs ?? 0,
      jobsStarted: jobs?.jobsStarted ?? 0,
      share: jobs?.share ?? 0,
    };
  });
  return [...shares, ...byRef.values()];
}

function clusterName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

/**
 * Shows the share of a fleet's started jobs per cluster as a stacked bar,
 * with running jobs, started jobs and share per cluster listed below it.
 */
export const ClusterJobSharesBar = (props: { fleetRef: string; shares: ClusterJobShare[] }) => {
  const { fleetRef, shares } = props;
  const totalStarted = shares.reduce((sum, share) => sum + share.jobsStarted, 0);

  return (
    <>
      <Box
        role="img"
        aria-label={`Share of started jobs per cluster of ${fleetRef}: ${shares
          .map(share => `${clusterName(share.clusterRef)} ${formatPercent(share.share)}`)
          .join(', ')}`}
        display="flex"
        height={16}
        width="100%"
        bgcolor="action.hover"
        borderRadius={4}
        overflow="hidden"
      >
        {shares.map((share, index) =>
          share.share > 0 ? (
            <Box
              key={share.clusterRef}
              data-testid={`share-${clusterName(share.clusterRef)}`}
              width={`${share.share * 100}%`}
              bgcolor={chartColor(index)}
            />
          ) : null,
        )}
      </Box>
      <ul aria-label={`clusters of ${fleetRef}`} style={{ listStyle: 'none', paddingLeft: 0 }}>
        {shares.map((share, index) => (
          <li key={share.clusterRef}>
            <Box
              component="span"
              display="inline-block"
              width={10}
              height={10}
              mr={1}
              bgcolor={chartColor(index)}
              aria-hidden
            />
            <EntityRefLink entityRef={share.clusterRef} />
            {share.role ? ` (${share.role})` : ''}: {share.runningJobs} running jobs,{' '}
            {share.jobsStarted} started, {formatPercent(share.share)} of started jobs
          </li>
        ))}
      </ul>
      {totalStarted === 0 && (
        <Typography variant="body2" color="textSecondary">
          No job started on these clusters in the sampling window, so every share is 0 %.
        </Typography>
      )}
    </>
  );
};
