import type {
  FindingSeverity,
  MigrationPhase,
  ScorecardLevel,
} from '@runner-fleet/plugin-runner-fleet-common';

/** Phases in migration order, for charts and sorting. */
export const PHASES: MigrationPhase[] = ['legacy', 'opted-in', 'on-kubernetes', 'migrated'];

export const PHASE_LABELS: Record<MigrationPhase, string> = {
  legacy: 'Legacy',
  'opted-in': 'Opted in',
  'on-kubernetes': 'On Kubernetes',
  migrated: 'Migrated',
};

export const LEVEL_LABELS: Record<ScorecardLevel, string> = {
  blocked: 'Blocked',
  'needs-changes': 'Needs changes',
  ready: 'Ready',
};

/** Severities from most to least urgent. */
export const SEVERITIES: FindingSeverity[] = ['blocker', 'warning', 'info'];

export const SEVERITY_LABELS: Record<FindingSeverity, string> = {
  blocker: 'Blockers',
  warning: 'Warnings',
  info: 'Information',
};
