import type { Severity } from '../rules/types';
import type { Finding, ReadinessLevel } from './types';

export type { Finding, ReadinessLevel, AnalysisResult } from './types';

/** Points one unwaived finding takes off the score, by severity. */
export const SEVERITY_WEIGHTS: Record<Severity, number> = {
  blocker: 20,
  warning: 5,
  info: 1,
};

/** One rule takes off at most this many times its weight, however many jobs it hits. */
export const RULE_PENALTY_CAP = 2;

/** Highest score per level, so that the score and the level never disagree. */
export const LEVEL_SCORE_CEILING: Record<ReadinessLevel, number> = {
  blocked: 49,
  'needs-changes': 89,
  ready: 100,
};

/**
 * Returns `blocked` when any unwaived finding is a blocker, `needs-changes`
 * when any is a warning, and `ready` otherwise.
 */
export function readinessLevel(findings: Finding[]): ReadinessLevel {
  const open = findings.filter(finding => !finding.waived);
  if (open.some(finding => finding.severity === 'blocker')) {
    return 'blocked';
  }
  if (open.some(finding => finding.severity === 'warning')) {
    return 'needs-changes';
  }
  return 'ready';
}

/**
 * Computes the 0–100 score: 100 minus, for each rule, its findings'
 * weights (blocker 20, warning 5, info 1), where one rule takes off at most
 * twice the weight of its most severe finding; then capped at 49 for
 * `blocked` and 89 for `needs-changes`. Waived findings count nothing.
 */
export function computeScore(findings: Finding[]): number {
  const penaltyByRule = new Map<string, { total: number; cap: number }>();
  for (const finding of findings) {
    if (finding.waived) {
      continue;
    }
    const weight = SEVERITY_WEIGHTS[finding.severity];
    const entry = penaltyByRule.get(finding.ruleId) ?? { total: 0, cap: 0 };
    entry.total += weight;
    entry.cap = Math.max(entry.cap, weight * RULE_PENALTY_CAP);
    penaltyByRule.set(finding.ruleId, entry);
  }
  let penalty = 0;
  for (const { total, cap } of penaltyByRule.values()) {
    penalty += Math.min(total, cap);
  }
  const raw = Math.max(0, 100 - penalty);
  return Math.min(raw, LEVEL_SCORE_CEILING[readinessLevel(findings)]);
}
