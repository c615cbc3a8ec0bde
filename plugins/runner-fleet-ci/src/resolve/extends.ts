import type { ConfigError } from '../model';
import {
  deepMerge,
  mapNode,
  type LocatedNode,
  type MapEntry,
  type MapNode,
} from './nodes';

/**
 * GitLab allows 11 levels of `extends` inheritance: a job, its parent and
 * so on up to 11 parents deep. Deeper chains are rejected.
 */
export const MAX_EXTENDS_DEPTH = 11;

/** Top-level keys that are keywords, never jobs or templates. */
export const RESERVED_KEYS = new Set([
  'stages',
  'variables',
  'workflow',
  'include',
  'default',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'spec',
]);

/**
 * Applies `extends` to every job and hidden job of a merged configuration.
 * Each job becomes the deep merge of its resolved parents in order (later
 * parents win, nested maps merge, arrays are replaced) with the job's own
 * keys merged last. Cycles, unknown parents and chains deeper than
 * MAX_EXTENDS_DEPTH are reported; the offending parent is skipped.
 */
export function applyExtends(config: MapNode, errors: ConfigError[]): MapNode {
  /** Each resolved job with its height: the length of its longest extends chain. */
  const resolved = new Map<string, { node: MapNode; height: number }>();
  const inProgress = new Set<string>();
  const entries = new Map(config.entries);

  const resolve = (
    name: string,
    chain: string[],
  ): { node: MapNode; height: number } | undefined => {
    const done = resolved.get(name);
    if (done) return done;
    const entry = entries.get(name);
    if (!entry || entry.value.kind !== 'map') return undefined;
    const job = entry.value;
    const extendsNode = job.entries.get('extends')?.value;
    if (!extendsNode) {
      const result = { node: job, height: 0 };
      resolved.set(name, result);
      return result;
    }

    inProgress.add(name);
    let merged: LocatedNode = mapNode(job.location);
    let height = 0;
    for (const parent of parentNames(extendsNode, name, errors)) {
      const location = parent.location;
      if (inProgress.has(parent.name)) {
        errors.push({
          code: 'extends-cycle',
          message: `Job "${name}" extends "${
            parent.name
          }", which leads back to itself (${[...chain, name, parent.name].join(
            ' -> ',
          )}); remove one of the extends.`,
          location,
        });
        continue;
      }
      const parentEntry = entries.get(parent.name);
      if (!parentEntry || RESERVED_KEYS.has(parent.name)) {
        errors.push({
          code: 'extends-missing',
          message: `Job "${name}" extends "${parent.name}", which is not defined in the configuration or its includes; fix the name or include the file that defines it.`,
          location,
        });
        continue;
      }
      if (parentEntry.value.kind !== 'map') {
        errors.push({
          code: 'invalid-config',
          message: `Job "${name}" extends "${parent.name}", which is not a map of keywords; extend a job or hidden job.`,
          location,
        });
        continue;
      }
      const parentResolved = resolve(parent.name, [...chain, name]);
      if (!parentResolved) continue;
      if (parentResolved.height + 1 > MAX_EXTENDS_DEPTH) {
        errors.push({
          code: 'extends-depth',
          message: `Job "${name}" extends "${
            parent.name
          }", whose own extends chain is ${
            parentResolved.height
          } levels deep, so "${name}" would nest ${
            parentResolved.height + 1
          } levels; GitLab allows ${MAX_EXTENDS_DEPTH}. Flatten the chain.`,
          location,
        });
        continue;
      }
      height = Math.max(height, parentResolved.height + 1);
      merged = deepMerge(merged, parentResolved.node);
    }
    inProgress.delete(name);

    const result = { node: deepMerge(merged, job) as MapNode, height };
    resolved.set(name, result);
    return result;
  };

  for (const [name, entry] of config.entries) {
    if (RESERVED_KEYS.has(name) || entry.value.kind !== 'map') continue;
    const result = resolve(name, []);
    if (result) {
      entries.set(name, { ...entry, value: result.node } as MapEntry);
    }
  }
  return mapNode(config.location, entries);
}

interface ParentName {
  name: string;
  location: MapNode['location'];
}

function parentNames(
  node: LocatedNode,
  job: string,
  errors: ConfigError[],
): ParentName[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const names: ParentName[] = [];
  for (const item of items) {
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      names.push({ name: item.value, location: item.location });
    } else {
      errors.push({
        code: 'invalid-config',
        message: `\`extends\` of job "${job}" must be a job name or a list of job names; found ${
          item.kind === 'scalar' ? JSON.stringify(item.value) : `a ${item.kind}`
        }.`,
        location: item.location,
      });
    }
  }
  return names;
}

/** Returns the direct parent names written in a job's `extends`. */
export function extendsNames(job: MapNode): string[] {
  const node = job.entries.get('extends')?.value;
  if (!node) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  return items.flatMap(item =>
    item.kind === 'scalar' && typeof item.value === 'string'
      ? [item.value]
      : [],
  );
}
