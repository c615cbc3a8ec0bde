import { z } from 'zod';
import {
  isoDateSchema,
  parseConfigurationYaml,
  validateConfiguration,
} from '../config';
import type { Finding } from '../score/types';

/** Name of the waiver file at the root of a project's repository. */
export const WAIVER_FILE_NAME = '.runner-fleet.yaml';

const waiverSchema = z.strictObject({
  /** Id of the rule to waive. */
  rule: z.string().min(1, 'name the rule id to waive, for example docker-in-docker-service'),
  /** Job name; without it the waiver covers every job. */
  job: z.string().min(1).optional(),
  /** Why the finding is accepted for now; shown in reports. */
  reason: z.string().trim().min(1, 'give a reason, so reviewers know why the finding is accepted'),
  /** Last day the waiver applies, YYYY-MM-DD. */
  expires: isoDateSchema,
});

/** The schema of `.runner-fleet.yaml`. */
export const waiverFileSchema = z.strictObject({
  waivers: z.array(waiverSchema).default([]),
});

export type Waiver = z.output<typeof waiverSchema>;

/** A waiver that did not apply, and why. */
export interface WaiverProblem {
  kind: 'expired' | 'unknown-rule' | 'unused';
  waiver: Waiver;
  message: string;
}

/**
 * Parses the text of `.runner-fleet.yaml`. An empty file means no waivers.
 *
 * @throws ConfigurationError naming each invalid field and its line.
 */
export function parseWaiverFile(text: string, source = WAIVER_FILE_NAME): Waiver[] {
  const data = parseConfigurationYaml(text, source);
  return validateConfiguration(waiverFileSchema, data, source, text).waivers;
}

/**
 * Marks findings covered by a waiver that has not expired. A waiver applies
 * through its expiry date; from the next day on it is reported as expired
 * and no longer applies.
 */
export function applyWaivers(
  findings: Finding[],
  waivers: Waiver[],
  now: Date,
  knownRuleIds: ReadonlySet<string>,
): { findings: Finding[]; problems: WaiverProblem[] } {
  const today = now.toISOString().slice(0, 10);
  const problems: WaiverProblem[] = [];
  const active: Waiver[] = [];
  for (const waiver of waivers) {
    const scope = waiver.job ? ` for job "${waiver.job}"` : '';
    if (!knownRuleIds.has(waiver.rule)) {
      problems.push({
        kind: 'unknown-rule',
        waiver,
        message: `The waiver for rule "${waiver.rule}"${scope} names no known rule; check the id against \`runner-fleet-ci rules\`.`,
      });
    } else if (waiver.expires < today) {
      problems.push({
        kind: 'expired',
        waiver,
        message: `The waiver for rule "${waiver.rule}"${scope} expired on ${waiver.expires} and no longer applies; fix the findings or renew it with a new reason.`,
      });
    } else {
      active.push(waiver);
    }
  }

  const used = new Set<Waiver>();
  const result = findings.map(finding => {
    const waiver = active.find(
      candidate =>
        candidate.rule === finding.ruleId &&
        (candidate.job === undefined || candidate.job === finding.job),
    );
    if (!waiver) {
      return finding;
    }
    used.add(waiver);
    return { ...finding, waived: true, waiver };
  });

  for (const waiver of active) {
    if (!used.has(waiver)) {
      problems.push({
        kind: 'unused',
        waiver,
        message: `The waiver for rule "${waiver.rule}"${
          waiver.job ? ` for job "${waiver.job}"` : ''
        } matches no finding; remove it.`,
      });
    }
  }
  return { findings: result, problems };
}
