import type { ConfigError, SourceLocation } from '../model';
import {
  getEntry,
  mapNode,
  toPlain,
  type LocatedNode,
  type MapEntry,
  type MapNode,
} from './nodes';

/** An `include:inputs` value passed to a file, with where it was written. */
export interface ProvidedInput {
  value: unknown;
  location: SourceLocation;
}

interface InputSpec {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'array';
  hasDefault: boolean;
  defaultValue?: unknown;
  options?: unknown[];
  regex?: string;
  location: SourceLocation;
}

const INTERPOLATION = /\$\[\[\s*([^\]]*?)\s*\]\]/g;
const WHOLE_INTERPOLATION = /^\$\[\[\s*([^\]]*?)\s*\]\]$/;

/**
 * Applies a file's `spec:inputs` header to its content: checks the provided
 * inputs against the declared types, options and regexes, fills defaults and
 * replaces every `$[[ inputs.name ]]` in keys and values. A value that is
 * exactly one interpolation keeps the input's type (a number, boolean or
 * array); interpolation inside a longer string inserts the text.
 *
 * Supported functions: `expand_vars` (kept as written, because variables are
 * expanded at job run time and not known here), `truncate(offset, length)`
 * and `posix_escape`.
 */
export function applyInputs(
  header: MapNode | undefined,
  content: MapNode,
  provided: Map<string, ProvidedInput>,
  file: string,
  includeLocation: SourceLocation | undefined,
  errors: ConfigError[],
): MapNode {
  const specs = readSpecs(header, file, errors);
  const errorLocation = includeLocation ?? content.location;

  if (!header && provided.size > 0) {
    errors.push({
      code: 'invalid-config',
      message: `Inputs were passed to ${file}, but it has no \`spec:inputs\` header; add a header that declares ${[
        ...provided.keys(),
      ].join(', ')} or remove the inputs.`,
      location: errorLocation,
    });
  }

  const values = new Map<string, unknown>();
  for (const [name, input] of provided) {
    if (header && !specs.has(name)) {
      errors.push({
        code: 'invalid-config',
        message: `Input "${name}" is not declared in the \`spec:inputs\` header of ${file}; declared inputs: ${
          [...specs.keys()].join(', ') || 'none'
        }.`,
        location: input.location,
      });
    }
  }
  for (const spec of specs.values()) {
    const given = provided.get(spec.name);
    if (!given && !spec.hasDefault) {
      errors.push({
        code: 'invalid-config',
        message: `Input "${spec.name}" of ${file} is required but was not provided; pass it under \`include:inputs\` or give it a default.`,
        location: errorLocation,
      });
      continue;
    }
    const value = given ? given.value : spec.defaultValue;
    const problem = checkInput(spec, value);
    if (problem) {
      errors.push({
        code: 'invalid-config',
        message: `Input "${spec.name}" of ${file} ${problem}`,
        location: given?.location ?? spec.location,
      });
    }
    values.set(spec.name, value);
  }

  // GitLab interpolates only files that declare a `spec:` header; elsewhere
  // `$[[ ... ]]` stays as written.
  if (!header) {
    return content;
  }

  function interpolate(node: LocatedNode): LocatedNode {
    switch (node.kind) {
      case 'scalar':
        if (typeof node.value !== 'string' || !node.value.includes('$[[')) {
          return node;
        }
        return interpolateScalar(node.value, node.location);
      case 'seq':
        return { ...node, items: node.items.map(interpolate) };
      case 'map': {
        const entries = new Map<string, MapEntry>();
        for (const entry of node.entries.values()) {
          const key = entry.key.includes('$[[')
            ? String(toPlain(interpolateScalar(entry.key, entry.keyLocation)))
            : entry.key;
          entries.set(key, {
            key,
            keyLocation: entry.keyLocation,
            value: interpolate(entry.value),
          });
        }
        return mapNode(node.location, entries);
      }
      default:
        return node;
    }
  }

  function interpolateScalar(
    text: string,
    location: SourceLocation,
  ): LocatedNode {
    const whole = WHOLE_INTERPOLATION.exec(text);
    if (whole) {
      const value = evaluate(whole[1], location);
      if (value === undefined) {
        return { kind: 'scalar', location, value: text };
      }
      return typeof value === 'string'
        ? { kind: 'scalar', location, value }
        : fromPlain(value, location);
    }
    const replaced = text.replace(
      INTERPOLATION,
      (match, expression: string) => {
        const value = evaluate(expression, location);
        if (value === undefined) return match;
        return typeof value === 'string' ? value : JSON.stringify(value);
      },
    );
    return { kind: 'scalar', location, value: replaced };
  }

  function evaluate(expression: string, location: SourceLocation): unknown {
    const [accessor, ...functions] = expression
      .split('|')
      .map(part => part.trim());
    if (accessor.startsWith('matrix.')) {
      // `needs:parallel:matrix` expressions are evaluated per job later.
      return undefined;
    }
    const match = /^inputs\.([A-Za-z0-9_-]+)$/.exec(accessor);
    if (!match) {
      errors.push({
        code: 'invalid-config',
        message: `Unknown interpolation "$[[ ${expression} ]]" in ${file} at line ${location.line}; only \`inputs.NAME\` can be interpolated.`,
        location,
      });
      return undefined;
    }
    const name = match[1];
    if (!values.has(name)) {
      if (specs.has(name)) {
        // Already reported as missing.
        return undefined;
      }
      errors.push({
        code: 'invalid-config',
        message: `"$[[ inputs.${name} ]]" in ${file} at line ${location.line} refers to an input that the \`spec:inputs\` header does not declare; declare it or fix the name.`,
        location,
      });
      return undefined;
    }
    let value = values.get(name);
    for (const call of functions) {
      value = applyFunction(call, value, location);
    }
    return value;
  }

  function applyFunction(
    call: string,
    value: unknown,
    location: SourceLocation,
  ): unknown {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (call === 'expand_vars') {
      return value;
    }
    if (call === 'posix_escape') {
      return text.replace(
        /[^A-Za-z0-9_\-.,:/@\n]/g,
        character => `\\${character}`,
      );
    }
    const truncate = /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(call);
    if (truncate) {
      const offset = Number(truncate[1]);
      return text.slice(offset, offset + Number(truncate[2]));
    }
    errors.push({
      code: 'invalid-config',
      message: `Unknown interpolation function "${call}" in ${file} at line ${location.line}; use expand_vars, truncate(offset, length) or posix_escape.`,
      location,
    });
    return value;
  }

  return interpolate(content) as MapNode;
}

function readSpecs(
  header: MapNode | undefined,
  file: string,
  errors: ConfigError[],
): Map<string, InputSpec> {
  const specs = new Map<string, InputSpec>();
  const inputs = getEntry(getEntry(header, 'spec'), 'inputs');
  if (!inputs || inputs.kind !== 'map') {
    return specs;
  }
  for (const entry of inputs.entries.values()) {
    const definition = entry.value;
    const spec: InputSpec = {
      name: entry.key,
      type: 'string',
      hasDefault: false,
      location: entry.keyLocation,
    };
    if (definition.kind === 'map') {
      const type = getEntry(definition, 'type');
      if (type) {
        const typeName = toPlain(type);
        if (
          typeName === 'string' ||
          typeName === 'number' ||
          typeName === 'boolean' ||
          typeName === 'array'
        ) {
          spec.type = typeName;
        } else {
          errors.push({
            code: 'invalid-config',
            message: `Input "${
              entry.key
            }" in ${file} has unknown type ${JSON.stringify(
              typeName,
            )}; use string, number, boolean or array.`,
            location: type.location,
          });
        }
      }
      const defaultNode = getEntry(definition, 'default');
      if (defaultNode) {
        spec.hasDefault = true;
        spec.defaultValue = toPlain(defaultNode);
      }
      const options = getEntry(definition, 'options');
      if (options?.kind === 'seq') {
        spec.options = toPlain(options) as unknown[];
      }
      const regex = getEntry(definition, 'regex');
      if (regex?.kind === 'scalar' && typeof regex.value === 'string') {
        spec.regex = regex.value;
      }
    }
    specs.set(entry.key, spec);
  }
  return specs;
}

/** Returns a sentence fragment describing why `value` does not fit `spec`, or undefined. */
function checkInput(spec: InputSpec, value: unknown): string | undefined {
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (actual !== spec.type) {
    return `must be of type ${spec.type}, but ${JSON.stringify(value)} is ${
      actual === 'object' ? 'a map or null' : `a ${actual}`
    }; pass a ${spec.type}.`;
  }
  if (spec.options && !spec.options.some(option => option === value)) {
    return `is ${JSON.stringify(
      value,
    )}, which is not one of its options (${spec.options
      .map(option => JSON.stringify(option))
      .join(', ')}); pass one of them.`;
  }
  if (spec.regex && typeof value === 'string') {
    const source = spec.regex.replace(/^\/(.*)\/$/, '$1');
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(source);
    } catch {
      return `has an invalid regex ${spec.regex}; fix the \`regex\` in its spec.`;
    }
    if (!pattern.test(value)) {
      return `is ${JSON.stringify(value)}, which does not match ${
        spec.regex
      }; pass a matching value.`;
    }
  }
  return undefined;
}

/** Builds a located tree from plain data, every node placed at `location`. */
export function fromPlain(
  value: unknown,
  location: SourceLocation,
): LocatedNode {
  if (Array.isArray(value)) {
    return {
      kind: 'seq',
      location,
      items: value.map(item => fromPlain(item, location)),
    };
  }
  if (value !== null && typeof value === 'object') {
    const entries = new Map<string, MapEntry>();
    for (const [key, item] of Object.entries(value)) {
      entries.set(key, {
        key,
        keyLocation: location,
        value: fromPlain(item, location),
      });
    }
    return mapNode(location, entries);
  }
  return {
    kind: 'scalar',
    location,
    value:
      value === undefined ? null : (value as string | number | boolean | null),
  };
}
