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

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = 'spec';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const field = formatPath(issue.path);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  switch (issue.code) {
    case 'invalid_value':
      return `${field} is ${shown}; allowed values are ${issue.values
        .map(v => JSON.stringify(v))
        .join(', ')}`;
    case 'unrecognized_keys':
      return `${field} has unknown key(s) ${issue.keys
        .map(k => JSON.stringify(k))
        .join(', ')}; remove them or check their spelling`;
    case 'invalid_type':
      return value === undefined
        ? `${field} is missing; set it to a ${issue.expected}`
        : `${field} is ${shown}; expected a ${issue.expected}`;
    default:
      return `${field} is ${shown}; it ${issue.message}`;
  }
}

/**
 * Validates the spec of a runner fleet or hardware pool resource.
 * Returns an empty list for valid entities and for entities of other types.
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
  return result.error.issues.map(issue => {
    const value = valueAt(entity.spec, issue.path);
    return {
      field: formatPath(issue.path),
      value,
      message: describeIssue(issue, value),
    };
  });
}
