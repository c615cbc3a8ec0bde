import {
  DEFAULT_NAMESPACE,
  Entity,
  KubernetesValidatorFunctions,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  HardwarePoolEntity,
  RELATION_BORROWS_FROM,
  RELATION_LENT_TO,
  RunnerFleetEntity,
  isHardwarePoolEntity,
  isRunnerFleetEntity,
  splitFleetsAnnotation,
  validateRunnerFleetEntity,
} from '@runner-fleet/plugin-runner-fleet-common';

/** @public */
export interface RunnerFleetEntitiesProcessorOptions {
  /** Current time, used to end a lend after its `until` date. Defaults to the system clock. */
  now?: () => Date;
}

/**
 * Validates runner fleet and hardware pool resources and relates fleets,
 * clusters, hardware pools and the components whose jobs run on the fleets.
 *
 * An invalid spec becomes one processing error per field on that entity
 * only, so the catalog keeps ingesting every other entity.
 *
 * @public
 */
export class RunnerFleetEntitiesProcessor implements CatalogProcessor {
  private readonly now: () => Date;

  constructor(options: RunnerFleetEntitiesProcessorOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  getProcessorName(): string {
    return 'RunnerFleetEntitiesProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const problems = validateRunnerFleetEntity(entity);
    if (problems.length > 0) {
      for (const problem of problems) {
        emit(processingResult.inputError(location, problem.message));
      }
      return entity;
    }

    if (isRunnerFleetEntity(entity)) {
      this.emitFleetRelations(entity, location, emit);
    } else if (isHardwarePoolEntity(entity)) {
      this.emitPoolRelations(entity, emit);
    } else if (entity.kind.toLocaleLowerCase('en-US') === 'component') {
      this.emitComponentRelations(entity, location, emit);
    }
    return entity;
  }

  private emitFleetRelations(
    fleet: RunnerFleetEntity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ) {
    const self = getCompoundEntityRef(fleet);

    for (const cluster of fleet.spec.clusters ?? []) {
      const clusterRef = toResourceRef(cluster.ref, self.namespace);
      emitPair(
        emit,
        self,
        RELATION_DEPENDS_ON,
        clusterRef,
        RELATION_DEPENDENCY_OF,
      );
    }

    const lend = fleet.spec.lentTo;
    if (!lend) {
      return;
    }
    const borrowerRef = toResourceRef(lend.fleet, self.namespace);
    if (stringifyEntityRef(borrowerRef) === stringifyEntityRef(self)) {
      emit(
        processingResult.inputError(
          location,
          `spec.lentTo.fleet is ${JSON.stringify(
            lend.fleet,
          )}, which is this fleet itself. Name the fleet that borrows the runners, or remove spec.lentTo.`,
        ),
      );
      return;
    }
    // The lend covers the whole `until` day in UTC. Entities are reprocessed
    // periodically, so the relations disappear on the first pass after it.
    const todayUtc = this.now().toISOString().slice(0, 10);
    if (todayUtc > lend.until) {
      return;
    }
    emitPair(emit, self, RELATION_LENT_TO, borrowerRef, RELATION_BORROWS_FROM);
  }

  private emitPoolRelations(
    pool: HardwarePoolEntity,
    emit: CatalogProcessorEmit,
  ) {
    const self = getCompoundEntityRef(pool);
    for (const cluster of pool.spec.clusters ?? []) {
      const clusterRef = toResourceRef(cluster, self.namespace);
      emitPair(
        emit,
        clusterRef,
        RELATION_DEPENDS_ON,
        self,
        RELATION_DEPENDENCY_OF,
      );
    }
  }

  private emitComponentRelations(
    component: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ) {
    const annotation = component.metadata.annotations?.[ANNOTATIONS.fleets];
    const self = getCompoundEntityRef(component);

    for (const entry of splitFleetsAnnotation(annotation)) {
      const fleetRef = tryToResourceRef(entry, self.namespace);
      if (!fleetRef) {
        emit(
          processingResult.inputError(
            location,
            `Annotation ${ANNOTATIONS.fleets} contains ${JSON.stringify(
              entry,
            )}, which is not an entity reference. Use fleet names or references such as resource:default/fleet-k8s-default, separated by commas.`,
          ),
        );
        continue;
      }
      if (fleetRef.kind.toLocaleLowerCase('en-US') !== 'resource') {
        emit(
          processingResult.inputError(
            location,
            `Annotation ${ANNOTATIONS.fleets} contains ${JSON.stringify(
              entry,
            )} of kind ${
              fleetRef.kind
            }. Runner fleets are Resource entities, so use a name such as fleet-k8s-default or resource:default/fleet-k8s-default.`,
          ),
        );
        continue;
      }
      emitPair(
        emit,
        self,
        RELATION_DEPENDS_ON,
        fleetRef,
        RELATION_DEPENDENCY_OF,
      );
    }
  }
}

/** Resolves a possibly short reference; kind defaults to `resource`, namespace to the referring entity's. */
function toResourceRef(ref: string, namespace: string): CompoundEntityRef {
  return parseEntityRef(ref, {
    defaultKind: 'resource',
    defaultNamespace: namespace || DEFAULT_NAMESPACE,
  });
}

/** Like {@link toResourceRef}, but returns undefined for a reference with an invalid name or namespace. */
function tryToResourceRef(
  ref: string,
  namespace: string,
): CompoundEntityRef | undefined {
  let parsed: CompoundEntityRef;
  try {
    parsed = toResourceRef(ref, namespace);
  } catch {
    return undefined;
  }
  if (
    !KubernetesValidatorFunctions.isValidObjectName(parsed.name) ||
    !KubernetesValidatorFunctions.isValidNamespace(parsed.namespace)
  ) {
    return undefined;
  }
  return parsed;
}

/** Emits `source type target` and the reverse relation `target reverseType source`. */
function emitPair(
  emit: CatalogProcessorEmit,
  source: CompoundEntityRef,
  type: string,
  target: CompoundEntityRef,
  reverseType: string,
) {
  emit(processingResult.relation({ source, type, target }));
  emit(
    processingResult.relation({
      source: target,
      type: reverseType,
      target: source,
    }),
  );
}
