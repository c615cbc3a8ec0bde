import { z } from 'zod';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written as YYYY-MM-DD that exists in the calendar. */
export const isoDateSchema = z
  .string({ error: 'expected a date written as YYYY-MM-DD' })
  .refine(value => DATE_PATTERN.test(value) && isRealDate(value), {
    error: issue =>
      `expected a date written as YYYY-MM-DD, for example 2027-03-31, but got ${JSON.stringify(
        issue.input,
      )}`,
  });

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  );
}

/** A regular expression written as a string; checked by compiling it. */
export const regexSourceSchema = z.string().superRefine((value, context) => {
  try {
    // eslint-disable-next-line no-new
    new RegExp(value);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `invalid regular expression ${JSON.stringify(value)}: ${
        (error as Error).message
      }`,
    });
  }
});

const tagListSchema = z.array(z.string().min(1, 'a tag must not be empty'));

/** Tag meanings: which runner tags select which fleet or hardware. */
export const tagMeaningsSchema = z.strictObject({
  /** Tags that select the Docker Machine fleet that is being decommissioned. */
  legacy: tagListSchema.optional(),
  /** Tags that opt a job in to Kubernetes during the first migration phase. */
  optIn: tagListSchema.optional(),
  cvmfs: tagListSchema.optional(),
  arm: tagListSchema.optional(),
  gpu: tagListSchema.optional(),
  fpga: tagListSchema.optional(),
  spark: tagListSchema.optional(),
  technicalNetwork: tagListSchema.optional(),
});

const severitySchema = z.enum(['blocker', 'warning', 'info']);

/**
 * The engine configuration as a user writes it (in a YAML or JSON file, or
 * as an object). Every field is optional; missing fields take the defaults
 * in `DEFAULT_ENGINE_CONFIG`.
 */
export const engineConfigInputSchema = z.strictObject({
  tags: tagMeaningsSchema.optional(),
  /** After this day, `legacy-docker-tag` is a blocker instead of a warning. */
  decommissionDate: isoDateSchema.optional(),
  /** Image name patterns whose ENTRYPOINT prepares the environment the job needs. */
  entrypointImages: z.array(regexSourceSchema).optional(),
  /** Image name patterns whose Dockerfile sets USER to a name instead of a number. */
  namedUserImages: z.array(regexSourceSchema).optional(),
  /** Tags of instance fleets that have no special meaning, such as `qa`. */
  otherFleetTags: tagListSchema.optional(),
  /**
   * Tag patterns of runners outside the migration (macOS, Windows, shell
   * executors); jobs with such a tag are not checked.
   */
  externalRunnerTags: z.array(regexSourceSchema).optional(),
  /** Rule ids to skip entirely. */
  disabledRules: z.array(z.string()).optional(),
  /** Severity per rule id, replacing the rule's own. */
  severityOverrides: z.record(z.string(), severitySchema).optional(),
});

export type EngineConfigInput = z.input<typeof engineConfigInputSchema>;
