import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  EntityRefLink,
  EntityRefLinks,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ACCESS_POLICIES,
  RELATION_BORROWS_FROM,
  type AccessPolicy,
  type RunnerFleetSpec,
} from '@runner-fleet/plugin-runner-fleet-common';
import {
  formatCount,
  isLendExpired,
  relationTargets,
  resolveResourceRef,
} from './entityRefs';
import { AcceleratorList } from './AcceleratorList';

const ACCESS_DESCRIPTIONS: Record<AccessPolicy, string> = {
  open: 'open: every project may use it',
  restricted: 'restricted: approved projects only',
  'on-request': 'on request: projects ask the platform team first',
};

function describeAccess(access: string | undefined): string | undefined {
  if (!access) {
    return undefined;
  }
  return (ACCESS_POLICIES as readonly string[]).includes(access)
    ? ACCESS_DESCRIPTIONS[access as AccessPolicy]
    : access;
}

function TagChips(props: { tags: string[] }) {
  if (props.tags.length === 0) {
    return <Typography variant="body2">none</Typography>;
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {props.tags.map(tag => (
        <Chip key={tag} label={tag} size="small" />
      ))}
    </Box>
  );
}

function ClusterList(props: {
  clusters: NonNullable<RunnerFleetSpec['clusters']>;
  namespace: string | undefined;
}) {
  return (
    <Box component="ul" m={0} pl={2}>
      {props.clusters.map(cluster => {
        const ref = resolveResourceRef(cluster.ref, props.namespace);
        return (
          <li key={cluster.ref}>
            {ref ? <EntityRefLink entityRef={ref} /> : cluster.ref}
            {cluster.role ? ` (${cluster.role})` : ''}
          </li>
        );
      })}
    </Box>
  );
}

function LendDetails(props: {
  lend: NonNullable<RunnerFleetSpec['lentTo']>;
  namespace: string | undefined;
  now: Date;
}) {
  const { lend } = props;
  const ref = resolveResourceRef(lend.fleet, props.namespace);
  const expired = isLendExpired(lend.until, props.now);
  return (
    <Box>
      {ref ? <EntityRefLink entityRef={ref} /> : lend.fleet}
      {expired
        ? ` until ${lend.until} (expired, runners are due back)`
        : ` until ${lend.until}`}
      {lend.reason ? (
        <Typography variant="body2" color="textSecondary">
          {lend.reason}
        </Typography>
      ) : null}
    </Box>
  );
}

function describeFeatures(features: RunnerFleetSpec['features']): string[] {
  const lines: string[] = [];
  if (features?.cvmfs) {
    lines.push(`CVMFS: ${features.cvmfs.repositories.join(', ')}`);
  }
  if (features?.privileged !== undefined) {
    lines.push(features.privileged ? 'privileged pods' : 'no privileged pods');
  }
  if (features?.networkZone) {
    lines.push(`network zone: ${features.networkZone}`);
  }
  return lines;
}

function describeLiveRunners(
  live: RunnerFleetSpec['live'],
): string[] | undefined {
  const runners = live?.runners;
  if (!runners) {
    return undefined;
  }
  const lines = [
    `${formatCount(runners.online ?? 0)} online, ${formatCount(
      runners.offline ?? 0,
    )} offline, ${formatCount(runners.stale ?? 0)} stale, ${formatCount(
      runners.paused ?? 0,
    )} paused (${formatCount(runners.total ?? 0)} in total)`,
  ];
  if (live?.versions?.length) {
    lines.push(`GitLab Runner ${live.versions.join(', ')}`);
  }
  if (live?.syncedAt) {
    lines.push(`synced from GitLab at ${live.syncedAt}`);
  }
  return lines;
}

/** Props of {@link RunnerFleetOverviewCard}. */
export interface RunnerFleetOverviewCardProps {
  /** Current time, which decides whether a lend has expired. Defaults to the system clock. */
  now?: Date;
}

/** Overview card of a `gitlab-runner-fleet` resource: how jobs reach it and where it runs. */
export function RunnerFleetOverviewCard(props: RunnerFleetOverviewCardProps) {
  const { entity } = useEntity();
  const spec = (entity.spec ?? {}) as Partial<RunnerFleetSpec>;
  const namespace = entity.metadata.namespace;
  const now = props.now ?? new Date();

  const metadata: Record<string, ReactNode> = {
    Lifecycle: spec.lifecycle ?? 'unknown',
    Executor: spec.executor ?? 'unknown',
    Access: describeAccess(spec.access) ?? 'unknown',
    'Runner tags': <TagChips tags={spec.tags ?? []} />,
    'Untagged jobs': spec.runUntagged ? 'runs them' : 'does not run them',
    Concurrency:
      spec.concurrency === undefined
        ? 'unknown'
        : `${formatCount(spec.concurrency)} jobs at once`,
    Architecture: spec.architecture ?? 'unknown',
  };
  if (spec.accelerators?.length) {
    metadata.Accelerators = (
      <AcceleratorList accelerators={spec.accelerators} />
    );
  }
  const features = describeFeatures(spec.features);
  if (features.length > 0) {
    metadata.Features = features;
  }
  metadata.Clusters = spec.clusters?.length ? (
    <ClusterList clusters={spec.clusters} namespace={namespace} />
  ) : (
    'none (runs outside Kubernetes)'
  );
  if (spec.lentTo) {
    metadata['Lent to'] = (
      <LendDetails lend={spec.lentTo} namespace={namespace} now={now} />
    );
  }
  const lenders = relationTargets(entity, RELATION_BORROWS_FROM);
  if (lenders.length > 0) {
    metadata['Borrows from'] = (
      <EntityRefLinks entityRefs={lenders} defaultKind="resource" />
    );
  }
  const live = describeLiveRunners(spec.live);
  if (live) {
    metadata['Live runners'] = live;
  }

  return (
    <InfoCard title="Runner fleet">
      <StructuredMetadataTable
        metadata={metadata}
        options={{ titleFormat: key => key }}
      />
    </InfoCard>
  );
}
