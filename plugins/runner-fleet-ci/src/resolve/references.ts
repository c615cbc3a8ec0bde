import type { ConfigError } from '../model';
import {
  mapNode,
  nodeAt,
  type LocatedNode,
  type MapEntry,
  type MapNode,
} from './nodes';

/** GitLab resolves `!reference` tags nested in referenced values up to 10 levels deep. */
export const MAX_REFERENCE_DEPTH = 10;

/**
 * Replaces every `!reference [job, key, ...]` with the value it points to in
 * the configuration after `extends` was applied, as GitLab does. The
 * replacement keeps the referenced node's source location. A reference
 * that points nowhere is reported as `reference-missing` and removed: from a
 * list it disappears, elsewhere it becomes null.
 */
export function resolveReferences(
  config: MapNode,
  errors: ConfigError[],
): MapNode {
  const cache = new Map<LocatedNode, LocatedNode | undefined>();
  const inProgress = new Set<LocatedNode>();

  function resolveReference(
    reference: LocatedNode & { kind: 'reference' },
    depth: number,
  ): LocatedNode | undefined {
    if (cache.has(reference)) return cache.get(reference);
    const location = reference.location;
    const written = `!reference [${reference.path.join(', ')}]`;
    if (depth > MAX_REFERENCE_DEPTH) {
      errors.push({
        code: 'reference-missing',
        message: `${written} in ${location.file} at line ${location.line} nests references more than ${MAX_REFERENCE_DEPTH} levels deep, which GitLab rejects; reference the final value directly.`,
        location,
      });
      cache.set(reference, undefined);
      return undefined;
    }
    if (reference.path.length === 0) {
      errors.push({
        code: 'reference-missing',
        message: `${written} in ${location.file} at line ${location.line} is empty; name a job and a key, for example !reference [.setup, script].`,
        location,
      });
      cache.set(reference, undefined);
      return undefined;
    }
    const target = nodeAt(config, reference.path);
    if (!target) {
      errors.push({
        code: 'reference-missing',
        message: `${written} in ${location.file} at line ${location.line} points to a value that does not exist; check the job name "${reference.path[0]}" and the keys after it.`,
        location,
      });
      cache.set(reference, undefined);
      return undefined;
    }
    if (inProgress.has(reference)) {
      errors.push({
        code: 'reference-missing',
        message: `${written} in ${location.file} at line ${location.line} refers back to itself through other references, which GitLab rejects as a circular chain; reference a value that does not contain this tag.`,
        location,
      });
      return undefined;
    }
    inProgress.add(reference);
    const result = resolveNode(target, depth + 1);
    inProgress.delete(reference);
    cache.set(reference, result);
    return result;
  }

  function resolveNode(
    node: LocatedNode,
    depth: number,
  ): LocatedNode | undefined {
    switch (node.kind) {
      case 'reference':
        return resolveReference(node, depth);
      case 'scalar':
        return node;
      case 'seq': {
        let changed = false;
        const items: LocatedNode[] = [];
        for (const item of node.items) {
          const resolved = resolveNode(item, depth);
          if (resolved !== item) changed = true;
          if (resolved) items.push(resolved);
        }
        return changed ? { ...node, items } : node;
      }
      case 'map': {
        let changed = false;
        const entries = new Map<string, MapEntry>();
        for (const [key, entry] of node.entries) {
          const resolved = resolveNode(entry.value, depth);
          if (resolved !== entry.value) changed = true;
          entries.set(key, {
            ...entry,
            value: resolved ?? {
              kind: 'scalar',
              location: entry.value.location,
              value: null,
            },
          });
        }
        return changed ? mapNode(node.location, entries) : node;
      }
      default:
        return node;
    }
  }

  return resolveNode(config, 0) as MapNode;
}
