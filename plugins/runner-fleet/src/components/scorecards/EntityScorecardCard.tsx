import { EmptyState, InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AsyncContent } from '../shared';
import { countOpen, LevelStatus, phaseLabel } from './ScorecardSummary';
import { useEntityScorecard } from './useEntityScorecard';

/** Card on a project's overview: migration score, level and phase. */
export const EntityScorecardCard = () => {
  const state = useEntityScorecard();
  return (
    <InfoCard
      title="Kubernetes migration"
      deepLink={{ title: 'All findings', link: 'kubernetes-migration' }}
    >
      <AsyncContent {...state}>
        {scorecard =>
          scorecard === null ? (
            <EmptyState
              missing="data"
              title="No scorecard yet"
              description="The backend evaluates projects on a schedule. Open the Kubernetes migration tab and use Re-check now to evaluate this one at once."
            />
          ) : (
            <Box>
              <Typography variant="h3" component="p" aria-label="score">
                {scorecard.score}
                <Typography component="span" variant="body1" color="textSecondary">
                  {' '}
                  / 100
                </Typography>
              </Typography>
              <LevelStatus level={scorecard.level} />
              <Typography variant="body2">Phase: {phaseLabel(scorecard.phase)}</Typography>
              <Typography variant="body2">
                {countOpen(scorecard, 'blocker')} blockers, {countOpen(scorecard, 'warning')}{' '}
                warnings
                {scorecard.configErrors.length > 0
                  ? `, ${scorecard.configErrors.length} configuration errors`
                  : ''}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                Evaluated {new Date(scorecard.evaluatedAt).toLocaleString()}
                {scorecard.webUrl && (
                  <>
                    {' '}
                    for <Link to={scorecard.webUrl}>{scorecard.projectPath}</Link>
                  </>
                )}
              </Typography>
            </Box>
          )
        }
      </AsyncContent>
    </InfoCard>
  );
};
