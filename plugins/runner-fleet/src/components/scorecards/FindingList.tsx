import { Link } from '@backstage/core-components';
import type {
  ProjectScorecard,
  ScorecardFinding,
} from '@runner-fleet/plugin-runner-fleet-common';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { findingUrl } from './projectEntity';

/** True when the waiver's expiry date (YYYY-MM-DD, inclusive) has passed. */
export function isWaiverExpired(expires: string, now: Date = new Date()): boolean {
  const end = Date.parse(`${expires}T23:59:59Z`);
  return !Number.isNaN(end) && end < now.getTime();
}

const FindingItem = (props: { scorecard: ProjectScorecard; finding: ScorecardFinding }) => {
  const { scorecard, finding } = props;
  const url = findingUrl(scorecard, finding);
  const where = finding.location
    ? `${finding.location.file}:${finding.location.line}`
    : 'whole file';
  return (
    <ListItem divider alignItems="flex-start" style={{ display: 'block' }}>
      <Typography variant="subtitle1">
        {finding.title}{' '}
        <Typography component="span" variant="caption" color="textSecondary">
          {finding.ruleId}
        </Typography>
      </Typography>
      <Typography variant="body2">
        Job: <strong>{finding.job ?? '(whole file)'}</strong> at{' '}
        {url ? <Link to={url}>{where}</Link> : where}
      </Typography>
      <Typography variant="body2">{finding.message}</Typography>
      <Typography variant="body2">
        <strong>Fix:</strong> {finding.fix}
      </Typography>
      {finding.autoFixable && <Chip size="small" label="fixed by the move template" />}
      {finding.waiver && (
        <Typography variant="body2" color="textSecondary">
          Waived until {finding.waiver.expires}
          {isWaiverExpired(finding.waiver.expires) ? ' (expired)' : ''}: {finding.waiver.reason}
        </Typography>
      )}
    </ListItem>
  );
};

/** Findings of one severity, unwaived first. */
export const FindingList = (props: {
  scorecard: ProjectScorecard;
  findings: ScorecardFinding[];
}) => {
  const ordered = [...props.findings].sort(
    (a, b) => Number(Boolean(a.waiver)) - Number(Boolean(b.waiver)),
  );
  return (
    <List dense disablePadding>
      {ordered.map((finding, index) => (
        <FindingItem
          key={`${finding.ruleId}:${finding.job ?? ''}:${finding.location?.line ?? index}`}
          scorecard={props.scorecard}
          finding={finding}
        />
      ))}
    </List>
  );
};
