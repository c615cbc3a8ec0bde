import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Parses query parameters with a zod schema and throws an InputError that
 * names each invalid parameter, its value and what is allowed.
 */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  query: unknown,
): z.output<S> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const name = issue.path.map(String).join('.') || 'query';
    const value = (query as Record<string, unknown>)?.[String(issue.path[0])];
    const displayed = value === undefined ? 'missing' : JSON.stringify(value);
    return `query parameter "${name}" is ${displayed}: ${issue.message}`;
  });
  throw new InputError(`Invalid request: ${problems.join('; ')}`);
}

const DURATION_UNITS_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration such as `90s`, `15m`, `24h` or `7d`, parsed to milliseconds. */
export const durationParam = z
  .string()
  .regex(/^\d{1,6}[smhd]$/, 'use a number followed by s, m, h or d, for example 24h or 7d')
  .transform(text => Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.slice(-1)]);

/** A time as ISO 8601 or epoch milliseconds. */
export const timeParam = z
  .string()
  .transform((text, context) => {
    const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(ms)) {
      context.addIssue({
        code: 'custom',
        message: 'use an ISO 8601 time such as 2026-12-04T10:00:00Z or epoch milliseconds',
      });
      return z.NEVER;
    }
    return ms;
  });

/** `page` (1-based) and `pageSize` with a maximum. */
export function pageParams(defaultSize: number, maxSize: number) {
  return {
    page: z.coerce
      .number()
      .int('use a whole number')
      .min(1, 'pages start at 1')
      .max(1_000_000)
      .default(1),
    pageSize: z.coerce
      .number()
      .int('use a whole number')
      .min(1, 'use 1 or more')
      .max(maxSize, `use at most ${maxSize}`)
      .default(defaultSize),
  };
}
