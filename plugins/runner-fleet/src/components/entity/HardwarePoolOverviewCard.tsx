import { ReactNode } from 'react';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { EntityRefLinks, useEntity } from '@backstage/plugin-catalog-react';
import type { HardwarePoolSpec } from '@runner-fleet/plugin-runner-fleet-common';
import { AcceleratorList } from './AcceleratorList';
import { formatCount, resolveResourceRef } from './entityRefs';

function describeCapacity(
  nodes: Partial<HardwarePoolSpec['nodes']> | undefined,
) {
  if (
    nodes?.count === undefined ||
    nodes.cpu === undefined ||
    nodes.memoryGiB === undefined
  ) {
    return { perNode: 'unknown', total: 'unknown' };
  }
  return {
    perNode: `${formatCount(nodes.cpu)} vCPU, ${formatCount(
      nodes.memoryGiB,
    )} GiB memory`,
    total: `${formatCount(nodes.count * nodes.cpu)} vCPU, ${formatCount(
      nodes.count * nodes.memoryGiB,
    )} GiB memory`,
  };
}

/** Overview card of a `hardware-pool` resource: its nodes, accelerators and clusters. */
export function HardwarePoolOverviewCard() {
  const { entity } = useEntity();
  const spec = (entity.spec ?? {}) as Partial<HardwarePoolSpec>;
  const capacity = describeCapacity(spec.nodes);
  const clusterRefs = (spec.clusters ?? []).flatMap(ref => {
    const resolved = resolveResourceRef(ref, entity.metadata.namespace);
    return resolved ? [resolved] : [];
  });

  const metadata: Record<string, ReactNode> = {
    Architecture: spec.architecture ?? 'unknown',
    Nodes:
      spec.nodes?.count === undefined
        ? 'unknown'
        : formatCount(spec.nodes.count),
    'Per node': capacity.perNode,
    'Total capacity': capacity.total,
    Accelerators: spec.accelerators?.length ? (
      <AcceleratorList accelerators={spec.accelerators} />
    ) : (
      'none'
    ),
    Clusters:
      clusterRefs.length > 0 ? (
        <EntityRefLinks entityRefs={clusterRefs} defaultKind="resource" />
      ) : (
        'none'
      ),
  };

  return (
    <InfoCard title="Hardware pool">
      <StructuredMetadataTable
        metadata={metadata}
        options={{ titleFormat: key => key }}
      />
    </InfoCard>
  );
}
