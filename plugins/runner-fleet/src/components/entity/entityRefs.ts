import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * Resolves a reference from a fleet or pool spec, where `cluster-arm` means
 * `resource:<namespace>/cluster-arm`, to its full form. Returns undefined for
 * a malformed reference.
 */
export function resolveResourceRef(
  ref: string,
  namespace: string | undefined,
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'resource',
        defaultNamespace: namespace || DEFAULT_NAMESPACE,
      }),
    );
  } catch {
    return undefined;
  }
}

/** Target references of the entity's relations of one type, optionally limited to one kind. */
export function relationTargets(
  entity: Entity,
  type: string,
  kind?: string,
): string[] {
  const prefix = kind ? `${kind.toLocaleLowerCase('en-US')}:` : '';
  return (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef)
    .filter(ref => ref.startsWith(prefix));
}

/**
 * Tells whether a lend with the given `until` date (YYYY-MM-DD) has ended.
 * The lend covers the whole `until` day in UTC, as in the catalog processor.
 */
export function isLendExpired(until: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) > until;
}

/** Formats an integer with thousands separators, for example `10,240`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
