import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/** The zod namespace that the scaffolder hands to action schema callbacks. */
export type Zod = typeof z;

/**
 * GitLab runner tag rule, the same one the fleet entity schema uses: GitLab
 * splits tag lists on commas, so a tag has no comma and no whitespace.
 */
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/+-]*$/;

/** GitLab project or group full path, for example `physics/atlas-analysis`. */
export const NAMESPACE_PATH_PATTERN =
  /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

/** CI/CD variable key rule from GitLab's variables API. */
export const VARIABLE_KEY_PATTERN = /^[A-Za-z0-9_]{1,255}$/;

/** Kubernetes resource name (RFC 1123 label), used for Secret names. */
export const KUBERNETES_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Free text that ends up inside the chart's `runners.config`. The chart runs
 * that value through Helm's `tpl`, so `{{` and `}}` would be evaluated as
 * template code. Control characters, newlines included, are rejected so a
 * description stays one line in GitLab and in the rendered files.
 */
// eslint-disable-next-line no-control-regex
export const FREE_TEXT_PATTERN = /^(?!.*(\{\{|\}\}))[^\u0000-\u001f\u007f]*$/;

export const tagSchema = (zod: Zod) =>
  zod
    .string()
    .min(1)
    .max(255)
    .regex(
      TAG_PATTERN,
      'must start with a letter or digit and contain only letters, digits and . _ : / + -',
    );

export const tagListSchema = (zod: Zod) =>
  zod
    .array(tagSchema(zod))
    .min(1, 'must list at least one tag; runners never run untagged jobs')
    .max(50)
    .refine(tags => new Set(tags).size === tags.length, {
      message: 'must not repeat a tag',
    })
    .describe(
      'Runner tags, set on the runner in GitLab. Jobs select the runner with these tags.',
    );

export const namespacePathSchema = (zod: Zod) =>
  zod
    .string()
    .min(1)
    .max(255)
    .regex(
      NAMESPACE_PATH_PATTERN,
      'must be a GitLab project or group path such as physics/atlas-analysis',
    );

export const descriptionSchema = (zod: Zod) =>
  zod
    .string()
    .min(1)
    .max(255)
    .regex(
      FREE_TEXT_PATTERN,
      'must be one line without control characters and without {{ or }}',
    );

export const entityRefInputSchema = (zod: Zod) =>
  zod
    .string()
    .min(1)
    .regex(
      /^(?:[a-zA-Z][a-zA-Z0-9]*:)?(?:[a-zA-Z0-9][a-zA-Z0-9._-]*\/)?[a-zA-Z0-9][a-zA-Z0-9._-]*$/,
      'must be an entity reference such as resource:default/pool-gpu',
    );

/**
 * Parses an action's input again with its own zod schema. The scaffolder
 * already checks the JSON Schema derived from it, but refinements do not
 * survive that conversion, and direct callers skip it.
 * Throws an `InputError` that names each field and the rule it broke.
 */
export function parseActionInput<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'input';
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid input: ${problems.join('; ')}`);
}
