import type { ConfigError, ResolvedJob, ValuePath } from '../model';
import { extendsNames, RESERVED_KEYS } from './extends';
import {
  getEntry,
  mapNode,
  nodeAt,
  toPlain,
  type LocatedNode,
  type MapEntry,
  type MapNode,
} from './nodes';

/** Keys a job takes from `default` when it does not set them itself. */
export const DEFAULT_KEYS = [
  'after_script',
  'artifacts',
  'before_script',
  'cache',
  'hooks',
  'id_tokens',
  'image',
  'interruptible',
  'retry',
  'services',
  'tags',
  'timeout',
] as const;

/** Top-level keys that GitLab still reads as defaults for every job. */
const DEPRECATED_GLOBAL_KEYS = [
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
];

/** Script keys: GitLab accepts a string or nested lists of strings and runs them as one flat list. */
const SCRIPT_KEYS = ['script', 'before_script', 'after_script'];

/**
 * GitLab accepts scripts nested up to 10 levels deep (its error reads
 * "should be a string or a nested array of strings up to 10 levels deep").
 */
const MAX_SCRIPT_NESTING = 10;

/** Keys that make a map a runnable job rather than an unused definition. */
const JOB_BODY_KEYS = ['script', 'trigger', 'run'];

/**
 * Builds the visible jobs from a configuration whose includes, extends and
 * references are resolved: applies `default` (and the deprecated top-level
 * image, services, before_script, after_script and cache) according to each
 * job's `inherit:default`, computes the variables each job sees according
 * to `inherit:variables`, turns scripts into flat lists of lines and
 * flattens `rules` one level.
 */
export function buildJobs(
  config: MapNode,
  errors: ConfigError[],
): ResolvedJob[] {
  // A job's script may come from a file or parent that could not be read.
  // A missing script is then a consequence, so it is not reported again.
  const incomplete = errors.some(
    error =>
      error.code.startsWith('include-') ||
      error.code === 'extends-missing' ||
      error.code === 'reference-missing',
  );
  const defaults = collectDefaults(config, errors);
  const stages = getEntry(config, 'stages');
  if (stages && stages.kind !== 'seq') {
    errors.push({
      code: 'invalid-config',
      message: `\`stages\` must be a list of stage names, but it is ${describe(
        stages,
      )}; write it as a list, for example [build, test].`,
      location: stages.location,
    });
  }
  const globalVariables = getEntry(config, 'variables');
  const jobs: ResolvedJob[] = [];

  for (const [name, entry] of config.entries) {
    if (RESERVED_KEYS.has(name) || name.startsWith('.')) continue;
    if (entry.value.kind !== 'map') {
      errors.push({
        code: 'invalid-config',
        message: `Job "${name}" must be a map of keywords, but its value is ${describe(
          entry.value,
        )}; fix the indentation or hide it with a leading dot.`,
        location: entry.keyLocation,
      });
      continue;
    }
    const own = entry.value;
    if (!incomplete && !JOB_BODY_KEYS.some(key => own.entries.has(key))) {
      errors.push({
        code: 'invalid-config',
        message: `Job "${name}" has no script, trigger or run after extends is applied, so GitLab rejects it; add a script or hide the job with a leading dot.`,
        location: entry.keyLocation,
      });
    }

    const inherit = getEntry(own, 'inherit');
    const inheritDefault = inheritFilter(getEntry(inherit, 'default'));
    const inheritVariables = inheritFilter(getEntry(inherit, 'variables'));

    const entries = new Map<string, MapEntry>(own.entries);
    entries.delete('extends');
    for (const [key, defaultEntry] of defaults) {
      if (!entries.has(key) && inheritDefault(key)) {
        entries.set(key, defaultEntry);
      }
    }
    for (const key of SCRIPT_KEYS) {
      const scriptEntry = entries.get(key);
      if (scriptEntry) {
        entries.set(key, {
          ...scriptEntry,
          value: normalizeScript(scriptEntry.value, name, key, errors),
        });
      }
    }
    const script = entries.get('script')?.value;
    if (
      script &&
      (script.kind === 'scalar'
        ? script.value === null || script.value === ''
        : script.kind === 'seq' && script.items.length === 0)
    ) {
      errors.push({
        code: 'invalid-config',
        message: `Job "${name}" has an empty script, which GitLab rejects; add at least one command.`,
        location: script.location,
      });
    }
    const rulesEntry = entries.get('rules');
    if (rulesEntry?.value.kind === 'seq') {
      entries.set('rules', {
        ...rulesEntry,
        value: flattenOnce(rulesEntry.value),
      });
    }
    const node = mapNode(own.location, entries);
    const definition = toPlain(node) as Record<string, unknown>;

    const effectiveVariables: Record<string, unknown> = {};
    if (globalVariables?.kind === 'map') {
      for (const [key, variable] of globalVariables.entries) {
        if (inheritVariables(key)) {
          effectiveVariables[key] = variableValue(variable.value);
        }
      }
    }
    const ownVariables = getEntry(node, 'variables');
    if (ownVariables?.kind === 'map') {
      for (const [key, variable] of ownVariables.entries) {
        effectiveVariables[key] = variableValue(variable.value);
      }
    }

    jobs.push({
      name,
      definition,
      location: entry.keyLocation,
      locate: (path: ValuePath) => {
        if (path.length === 0) return entry.keyLocation;
        return nodeAt(node, path)?.location;
      },
      extends: extendsNames(own),
      effectiveVariables,
    });
  }
  return jobs;
}

function collectDefaults(
  config: MapNode,
  errors: ConfigError[],
): Map<string, MapEntry> {
  const defaults = new Map<string, MapEntry>();
  const defaultNode = getEntry(config, 'default');
  if (defaultNode && defaultNode.kind !== 'map') {
    errors.push({
      code: 'invalid-config',
      message: `\`default\` must be a map of keywords, but it is ${describe(
        defaultNode,
      )}.`,
      location: defaultNode.location,
    });
  }
  if (defaultNode?.kind === 'map') {
    for (const key of DEFAULT_KEYS) {
      const entry = defaultNode.entries.get(key);
      if (entry) defaults.set(key, entry);
    }
  }
  for (const key of DEPRECATED_GLOBAL_KEYS) {
    const entry = config.entries.get(key);
    if (!entry) continue;
    if (defaults.has(key)) {
      errors.push({
        code: 'invalid-config',
        message: `\`${key}\` is set both at the top level and under \`default\`, which GitLab rejects; keep only the one under \`default\`.`,
        location: entry.keyLocation,
      });
      continue;
    }
    defaults.set(key, entry);
  }
  return defaults;
}

/** Turns `inherit:default` or `inherit:variables` (true, false or a list) into a key filter. */
function inheritFilter(
  node: LocatedNode | undefined,
): (key: string) => boolean {
  if (!node) return () => true;
  if (node.kind === 'scalar') {
    return () => node.value !== false;
  }
  if (node.kind === 'seq') {
    const allowed = new Set(node.items.map(item => String(toPlain(item))));
    return key => allowed.has(key);
  }
  return () => true;
}

/**
 * Turns a script into a flat list of lines: a single string becomes a
 * one-line list, and nested lists (from `!reference`) are flattened.
 * Each line keeps its own source location.
 */
function normalizeScript(
  node: LocatedNode,
  job: string,
  key: string,
  errors: ConfigError[],
): LocatedNode {
  if (node.kind === 'scalar') {
    return node.value === null
      ? node
      : { kind: 'seq', location: node.location, items: [node] };
  }
  if (node.kind !== 'seq') return node;
  const items: LocatedNode[] = [];
  let tooDeep = false;
  const visit = (list: LocatedNode & { kind: 'seq' }, depth: number) => {
    for (const item of list.items) {
      if (item.kind === 'seq') {
        if (depth >= MAX_SCRIPT_NESTING) {
          tooDeep = true;
          continue;
        }
        visit(item, depth + 1);
      } else {
        items.push(item);
      }
    }
  };
  visit(node, 1);
  if (tooDeep) {
    errors.push({
      code: 'invalid-config',
      message: `\`${key}\` of job "${job}" nests lists more than ${MAX_SCRIPT_NESTING} levels deep, which GitLab rejects; reduce the nesting of !reference tags.`,
      location: node.location,
    });
  }
  return { ...node, items };
}

/** GitLab flattens `rules` one level, so `- !reference [.rules, rules]` can stand among rules. */
function flattenOnce(list: LocatedNode & { kind: 'seq' }): LocatedNode {
  if (!list.items.some(item => item.kind === 'seq')) return list;
  const items = list.items.flatMap(item =>
    item.kind === 'seq' ? item.items : [item],
  );
  return { ...list, items };
}

/** Returns a variable's value, reading `value` when it is written as `{ value, description }`. */
function variableValue(node: LocatedNode): unknown {
  if (node.kind === 'map' && node.entries.has('value')) {
    return toPlain(node.entries.get('value')!.value);
  }
  return toPlain(node);
}

function describe(node: LocatedNode): string {
  if (node.kind === 'scalar') return JSON.stringify(node.value);
  if (node.kind === 'seq') return 'a list';
  return `a ${node.kind}`;
}
