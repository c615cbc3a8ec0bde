import type { SourceLocation, ValuePath } from '../model';

/**
 * A YAML value that remembers where it was written. The resolver works on
 * these trees instead of plain objects so that every value in a resolved job
 * can be traced back to its file and line. Nodes are never mutated after
 * they are built: merging creates new maps and shares unchanged subtrees, so
 * an aliased value may appear in several places of a tree.
 */
export type LocatedNode = MapNode | SeqNode | ScalarNode | ReferenceNode;

export type Scalar = string | number | boolean | null;

export interface MapEntry {
  key: string;
  keyLocation: SourceLocation;
  value: LocatedNode;
}

export interface MapNode {
  kind: 'map';
  location: SourceLocation;
  /** Entries in insertion order; setting an existing key keeps its position, as Ruby's Hash does. */
  entries: Map<string, MapEntry>;
}

export interface SeqNode {
  kind: 'seq';
  location: SourceLocation;
  items: LocatedNode[];
}

export interface ScalarNode {
  kind: 'scalar';
  location: SourceLocation;
  value: Scalar;
}

/** An unresolved `!reference [job, key, ...]` tag. */
export interface ReferenceNode {
  kind: 'reference';
  location: SourceLocation;
  path: Array<string | number>;
}

export function mapNode(
  location: SourceLocation,
  entries: Map<string, MapEntry> = new Map(),
): MapNode {
  return { kind: 'map', location, entries };
}

export function scalarNode(
  location: SourceLocation,
  value: Scalar,
): ScalarNode {
  return { kind: 'scalar', location, value };
}

export function getEntry(
  node: LocatedNode | undefined,
  key: string,
): LocatedNode | undefined {
  if (!node || node.kind !== 'map') {
    return undefined;
  }
  return node.entries.get(key)?.value;
}

/** Returns a copy of `node` without the given keys. */
export function withoutKeys(node: MapNode, keys: readonly string[]): MapNode {
  const entries = new Map(node.entries);
  for (const key of keys) {
    entries.delete(key);
  }
  return mapNode(node.location, entries);
}

/**
 * Merges maps the way GitLab merges includes and `extends`: keys of `over`
 * win, nested maps merge recursively, and any other value (arrays included)
 * replaces the earlier one. Key order follows Ruby's Hash#deep_merge: keys of
 * `base` first, then new keys of `over`.
 */
export function deepMerge(base: LocatedNode, over: LocatedNode): LocatedNode {
  if (base.kind !== 'map' || over.kind !== 'map') {
    return over;
  }
  const entries = new Map(base.entries);
  for (const [key, entry] of over.entries) {
    const existing = entries.get(key);
    if (
      existing &&
      existing.value.kind === 'map' &&
      entry.value.kind === 'map'
    ) {
      entries.set(key, {
        ...entry,
        value: deepMerge(existing.value, entry.value),
      });
    } else {
      entries.set(key, entry);
    }
  }
  return mapNode(over.location, entries);
}

/** Walks a value path and returns the node at its end. */
export function nodeAt(
  node: LocatedNode | undefined,
  path: ValuePath,
): LocatedNode | undefined {
  let current = node;
  for (const segment of path) {
    if (!current) {
      return undefined;
    }
    if (current.kind === 'map') {
      current = current.entries.get(String(segment))?.value;
    } else if (current.kind === 'seq') {
      const index = typeof segment === 'number' ? segment : Number(segment);
      current = Number.isInteger(index) ? current.items[index] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}

/** Thrown when converting a tree to plain data would exceed the node budget. */
export class ExpansionLimitError extends Error {
  constructor(readonly limit: number) {
    super(`expanded size exceeds ${limit} values`);
    this.name = 'ExpansionLimitError';
  }
}

/**
 * Counts the values a tree holds once shared subtrees (aliases) are
 * expanded, stopping as soon as the count passes `limit`. Shared subtrees
 * are counted once per use through a memo, so an alias bomb is measured in
 * time proportional to its source size, not its expanded size.
 */
export function expandedSize(node: LocatedNode, limit: number): number {
  const memo = new Map<LocatedNode, number>();
  const visit = (current: LocatedNode): number => {
    const known = memo.get(current);
    if (known !== undefined) {
      return known;
    }
    let size = 1;
    if (current.kind === 'map') {
      for (const entry of current.entries.values()) {
        size += visit(entry.value);
        if (size > limit) break;
      }
    } else if (current.kind === 'seq') {
      for (const item of current.items) {
        size += visit(item);
        if (size > limit) break;
      }
    }
    const capped = Math.min(size, limit + 1);
    memo.set(current, capped);
    return capped;
  };
  return visit(node);
}

/**
 * Converts a tree to plain JSON-compatible data. Unresolved `!reference`
 * nodes become `{ '!reference': [...] }` so they stay visible. Throws
 * ExpansionLimitError past `budget` values.
 */
export function toPlain(node: LocatedNode, budget = 5_000_000): unknown {
  let remaining = budget;
  const convert = (current: LocatedNode): unknown => {
    remaining -= 1;
    if (remaining < 0) {
      throw new ExpansionLimitError(budget);
    }
    switch (current.kind) {
      case 'scalar':
        return current.value;
      case 'reference':
        return { '!reference': [...current.path] };
      case 'seq':
        return current.items.map(convert);
      case 'map': {
        const result: Record<string, unknown> = {};
        for (const [key, entry] of current.entries) {
          // defineProperty keeps a `__proto__` key as data instead of
          // changing the object's prototype.
          Object.defineProperty(result, key, {
            value: convert(entry.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return result;
      }
      default:
        return undefined;
    }
  };
  return convert(node);
}
