import { StatusError, StatusOK, StatusWarning } from '@backstage/core-components';
import type { ProjectScorecard, ScorecardLevel } from '@runner-fleet/plugin-runner-fleet-common';
import { LEVEL_LABELS, PHASE_LABELS } from './labels';

/** Status dot and label of a scorecard level. */
export const LevelStatus = (props: { level: ScorecardLevel }) => {
  const label = LEVEL_LABELS[props.level] ?? props.level;
  switch (props.level) {
    case 'ready':
      return <StatusOK>{label}</StatusOK>;
    case 'needs-changes':
      return <StatusWarning>{label}</StatusWarning>;
    default:
      return <StatusError>{label}</StatusError>;
  }
};

/** Counts unwaived findings of one severity. */
export function countOpen(scorecard: ProjectScorecard, severity: string): number {
  return scorecard.findings.filter(f => f.severity === severity && !f.waiver).length;
}

/** Phase label, with unknown phases shown as the backend sent them. */
export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase as keyof typeof PHASE_LABELS] ?? phase;
}
