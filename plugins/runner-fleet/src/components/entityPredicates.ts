import { Entity } from '@backstage/catalog-model';
import {
  HARDWARE_POOL_TYPE,
  KUBERNETES_CLUSTER_TYPE,
  RUNNER_FLEET_TYPE,
} from '@runner-fleet/plugin-runner-fleet-common';

export { isGitLabProjectEntity } from './scorecards/projectEntity';

function isResourceOfType(entity: Entity, type: string): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type === type
  );
}

/** True for `Resource` entities with `spec.type: gitlab-runner-fleet`. @public */
export const isRunnerFleetEntity = (entity: Entity) => isResourceOfType(entity, RUNNER_FLEET_TYPE);

/** True for `Resource` entities with `spec.type: kubernetes-cluster`. @public */
export const isKubernetesClusterEntity = (entity: Entity) =>
  isResourceOfType(entity, KUBERNETES_CLUSTER_TYPE);

/** True for `Resource` entities with `spec.type: hardware-pool`. @public */
export const isHardwarePoolEntity = (entity: Entity) => isResourceOfType(entity, HARDWARE_POOL_TYPE);
