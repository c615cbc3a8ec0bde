import type { Entity } from '@backstage/catalog-model';
import type { z } from 'zod';
import {
  HARDWARE_POOL_TYPE,
  RUNNER_FLEET_TYPE,
  hardwarePoolSpecSchema,
  runnerFleetSpecSchema,
} from './entities';

/** One problem with an entity's spec, phrased for the entity's owner. @public */
export interface EntityValidationProblem {
  /** Dotted path from the entity root, for example `spec.clusters[1].ref`. */
  field: string;
  /** The offending value, or undefined when the field is missing. */
  value: unknown;
  /** A sentence that names the field, the value and what is allowed. */
  message: string;
}

type Path = ReadonlyArray<PropertyKey>;

/** The parts of zod's internal schema definition that the messages read. */
interface SchemaDefinition {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
  format?: string;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** Strips `.optional()`, `.nullable()` and `.default()` wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  let definition = definitionOf(current);
  while (definition.innerType) {
    current = definition.innerType;
    definition = definitionOf(current);
  }
  return current;
}

/** Finds the schema that validates the value at `path`, or undefined when the path leaves the schema. */
function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (!current) {
      return undefined;
    }
    const definition = definitionOf(unwrap(current));
    if (definition.type === 'object' && typeof segment === 'string') {
      current = definition.shape?.[segment];
    } else if (definition.type === 'array' && typeof segment === 'number') {
      current = definition.element;
    } else {
      return undefined;
    }
  }
  return current ? unwrap(current) : undefined;
}

function formatPath(path: Path): string {
  let out = 'spec';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return out;
}

function valueAt(root: unknown, path: Path): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function quoteList(values: ReadonlyArray<unknown>): string {
  return values.map(v => JSON.stringify(v)).join(', ');
}

/** Describes in words what a schema accepts, for example `an integer` or `one of "open", "restricted"`. */
function describeAccepted(schema: z.ZodType | undefined): string {
  if (!schema) {
    return 'a valid value';
  }
  const definition = definitionOf(schema);
  switch (definition.type) {
    case 'enum':
      return `one of ${quoteList(Object.values(definition.entries ?? {}))}`;
    case 'literal':
      return quoteList(definition.values ?? []);
    case 'number':
      return definition.format === 'safeint' ? 'an integer' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return definition.format === 'date'
        ? 'a date in YYYY-MM-DD form'
        : 'a string';
    case 'array':
      return 'a list';
    case 'object':
      return `a mapping with the keys ${Object.keys(
        definition.shape ?? {},
      ).join(', ')}`;
    default:
      return `a ${definition.type}`;
  }
}

/** Describes the bound of a `too_small` or `too_big` issue. */
function describeBound(
  origin: string,
  bound: number | bigint,
  inclusive: boolean,
  direction: 'min' | 'max',
): string {
  if (origin === 'string') {
    if (direction === 'min' && Number(bound) === 1) {
      return 'It must not be empty.';
    }
    return `It must have ${
      direction === 'min' ? 'at least' : 'at most'
    } ${bound} characters.`;
  }
  if (origin === 'array') {
    return `It must list ${
      direction === 'min' ? 'at least' : 'at most'
    } ${bound} item(s).`;
  }
  if (inclusive) {
    return `It must be ${
      direction === 'min' ? 'at least' : 'at most'
    } ${bound}.`;
  }
  return `It must be ${
    direction === 'min' ? 'greater' : 'less'
  } than ${bound}.`;
}

function describeIssue(
  root: z.ZodType,
  issue: z.core.$ZodIssue,
  value: unknown,
): string {
  const field = formatPath(issue.path);
  const displayedValue =
    value === undefined ? 'missing' : `${JSON.stringify(value)}`;
  switch (issue.code) {
    case 'invalid_value':
      return `${field} is ${displayedValue}. Allowed values: ${quoteList(
        issue.values,
      )}.`;
    case 'unrecognized_keys': {
      const allowed = Object.keys(
        definitionOf(schemaAt(root, issue.path) ?? root).shape ?? {},
      );
      return `${field} has the unknown key(s) ${quoteList(
        issue.keys,
      )}. Remove them or check their spelling. Allowed keys: ${allowed.join(
        ', ',
      )}.`;
    }
    case 'invalid_type': {
      const accepted = describeAccepted(schemaAt(root, issue.path));
      return value === undefined
        ? `${field} is missing. Set it to ${accepted}.`
        : `${field} is ${displayedValue}. Expected ${accepted}.`;
    }
    case 'too_small':
      return `${field} is ${displayedValue}. ${describeBound(
        issue.origin,
        issue.minimum,
        issue.inclusive ?? true,
        'min',
      )}`;
    case 'too_big':
      return `${field} is ${displayedValue}. ${describeBound(
        issue.origin,
        issue.maximum,
        issue.inclusive ?? true,
        'max',
      )}`;
    case 'invalid_format':
      if (issue.format === 'date') {
        return `${field} is ${displayedValue}. Expected a date in YYYY-MM-DD form, for example 2027-03-31.`;
      }
      // Regex checks in entities.ts carry a message that starts with "must".
      return `${field} is ${displayedValue}. It ${issue.message}.`;
    default:
      return `${field} is ${displayedValue}. ${issue.message}.`;
  }
}

/**
 * Validates the spec of a runner fleet or hardware pool resource.
 * Returns one problem per invalid field, and an empty list for valid entities
 * and for entities of other kinds or types.
 * @public
 */
export function validateRunnerFleetEntity(
  entity: Entity,
): EntityValidationProblem[] {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'resource') {
    return [];
  }
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  let schema: z.ZodType;
  if (type === RUNNER_FLEET_TYPE) {
    schema = runnerFleetSpecSchema;
  } else if (type === HARDWARE_POOL_TYPE) {
    schema = hardwarePoolSpecSchema;
  } else {
    return [];
  }
  const result = schema.safeParse(entity.spec);
  if (result.success) {
    return [];
  }
  // A value can fail several checks, for example an empty tag fails both the
  // length and the pattern check. Only the first check per field is reported.
  const problems = new Map<string, EntityValidationProblem>();
  for (const issue of result.error.issues) {
    const field = formatPath(issue.path);
    if (problems.has(field)) {
      continue;
    }
    const value = valueAt(entity.spec, issue.path);
    problems.set(field, {
      field,
      value,
      message: describeIssue(schema, issue, value),
    });
  }
  return [...problems.values()];
}
