import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityRefLink,
  catalogApiRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  isHardwarePoolEntity,
  isRunnerFleetEntity,
  type HardwarePoolSpec,
  type RunnerFleetSpec,
} from '@runner-fleet/plugin-runner-fleet-common';
import { formatCount, relationTargets, resolveResourceRef } from './entityRefs';

const ANNOTATION_API_SERVER = 'kubernetes.io/api-server';
const ANNOTATION_AUTH_PROVIDER = 'kubernetes.io/auth-provider';

/** A fleet that runs on the cluster, with the cluster's role for it and the fleet's other clusters. */
interface ServedFleet {
  ref: string;
  role?: string;
  otherClusters: Array<{ ref: string; role?: string }>;
}

function describeServedFleet(fleet: Entity, clusterRef: string): ServedFleet {
  const spec = (fleet.spec ?? {}) as Partial<RunnerFleetSpec>;
  const clusters = (spec.clusters ?? []).map(cluster => ({
    ref:
      resolveResourceRef(cluster.ref, fleet.metadata.namespace) ?? cluster.ref,
    role: cluster.role,
  }));
  return {
    ref: stringifyEntityRef(fleet),
    role: clusters.find(cluster => cluster.ref === clusterRef)?.role,
    otherClusters: clusters.filter(cluster => cluster.ref !== clusterRef),
  };
}

function FleetList(props: { fleets: ServedFleet[] }) {
  if (props.fleets.length === 0) {
    return <>No fleet lists this cluster</>;
  }
  return (
    <Box component="ul" m={0} pl={2}>
      {props.fleets.map(fleet => (
        <li key={fleet.ref}>
          <EntityRefLink entityRef={fleet.ref} />
          {fleet.role ? ` (${fleet.role})` : ''}
          {fleet.otherClusters.length > 0 ? (
            <Typography variant="body2" color="textSecondary">
              {'Upgrade in progress, also on '}
              {fleet.otherClusters.map((other, index) => (
                <span key={other.ref}>
                  {index > 0 ? ', ' : ''}
                  <EntityRefLink entityRef={other.ref} />
                  {other.role ? ` (${other.role})` : ''}
                </span>
              ))}
            </Typography>
          ) : null}
        </li>
      ))}
    </Box>
  );
}

function PoolList(props: { pools: Entity[] }) {
  if (props.pools.length === 0) {
    return <>No hardware pool lists this cluster</>;
  }
  return (
    <Box component="ul" m={0} pl={2}>
      {props.pools.map(pool => {
        const spec = (pool.spec ?? {}) as Partial<HardwarePoolSpec>;
        const nodes =
          spec.nodes?.count === undefined
            ? ''
            : `, ${formatCount(spec.nodes.count)} nodes`;
        return (
          <li key={stringifyEntityRef(pool)}>
            <EntityRefLink entityRef={pool} />
            {` (${spec.architecture ?? 'unknown architecture'}${nodes})`}
          </li>
        );
      })}
    </Box>
  );
}

/**
 * Overview card of a `kubernetes-cluster` resource: the runner fleets it
 * serves, its role in each fleet's upgrade and the hardware pools below it.
 * Reads the relations that the Runner Fleet catalog module emits.
 */
export function KubernetesClusterOverviewCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const clusterRef = stringifyEntityRef(entity);

  const related = useAsync(async () => {
    const refs = [
      ...relationTargets(entity, RELATION_DEPENDENCY_OF, 'resource'),
      ...relationTargets(entity, RELATION_DEPENDS_ON, 'resource'),
    ];
    if (refs.length === 0) {
      return { fleets: [], pools: [] };
    }
    const response = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    const entities = response.items.filter((e): e is Entity => Boolean(e));
    return {
      fleets: entities
        .filter(isRunnerFleetEntity)
        .map(fleet => describeServedFleet(fleet, clusterRef)),
      pools: entities.filter(isHardwarePoolEntity),
    };
  }, [catalogApi, entity, clusterRef]);

  if (related.loading) {
    return (
      <InfoCard title="Kubernetes cluster">
        <Progress />
      </InfoCard>
    );
  }
  if (related.error) {
    return (
      <InfoCard title="Kubernetes cluster">
        <ResponseErrorPanel error={related.error} />
      </InfoCard>
    );
  }

  const annotations = entity.metadata.annotations ?? {};
  const metadata: Record<string, ReactNode> = {
    'Runner fleets': <FleetList fleets={related.value?.fleets ?? []} />,
    'Hardware pools': <PoolList pools={related.value?.pools ?? []} />,
    'API server': annotations[ANNOTATION_API_SERVER] ?? 'not set',
    'Auth provider': annotations[ANNOTATION_AUTH_PROVIDER] ?? 'not set',
  };

  return (
    <InfoCard title="Kubernetes cluster">
      <StructuredMetadataTable
        metadata={metadata}
        options={{ titleFormat: key => key }}
      />
    </InfoCard>
  );
}
