import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  LinkButton,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { ProjectScorecard } from '@runner-fleet/plugin-runner-fleet-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { runnerFleetApiRef } from '../../api';
import { AsyncContent } from '../shared';
import { FindingList } from './FindingList';
import { SEVERITIES, SEVERITY_LABELS } from './labels';
import { moveToKubernetesTemplateUrl, projectRefOf } from './projectEntity';
import { countOpen, LevelStatus, phaseLabel } from './ScorecardSummary';
import { ScoreHistoryChart } from './ScoreHistoryChart';
import { useEntityScorecard } from './useEntityScorecard';

const Findings = (props: { scorecard: ProjectScorecard }) => {
  const { scorecard } = props;
  if (scorecard.findings.length === 0 && scorecard.configErrors.length === 0) {
    return (
      <InfoCard title="Findings">
        <Typography>No findings: every job can run on the Kubernetes runners as it is.</Typography>
      </InfoCard>
    );
  }
  return (
    <>
      {scorecard.configErrors.length > 0 && (
        <InfoCard title={`Configuration errors (${scorecard.configErrors.length})`}>
          <ul>
            {scorecard.configErrors.map((error, index) => (
              <li key={index}>
                <Typography variant="body2">
                  {error.location ? `${error.location.file}:${error.location.line}: ` : ''}
                  {error.message} ({error.code})
                </Typography>
              </li>
            ))}
          </ul>
        </InfoCard>
      )}
      {SEVERITIES.map(severity => {
        const findings = scorecard.findings.filter(f => f.severity === severity);
        if (findings.length === 0) {
          return null;
        }
        const waived = findings.filter(f => f.waiver).length;
        return (
          <InfoCard
            key={severity}
            title={`${SEVERITY_LABELS[severity]} (${findings.length})`}
            subheader={waived > 0 ? `${waived} waived` : undefined}
          >
            <FindingList scorecard={scorecard} findings={findings} />
          </InfoCard>
        );
      })}
    </>
  );
};

/**
 * The "Kubernetes migration" tab of a project: findings grouped by severity
 * with links to the exact lines, waivers, a re-check button and the
 * scaffolder template that moves the project to Kubernetes runners.
 */
export const EntityMigrationContent = () => {
  const state = useEntityScorecard();
  const api = useApi(runnerFleetApiRef);
  const alertApi = useApi(alertApiRef);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<Error>();
  const projectRef = state.value?.projectPath ?? projectRefOf(state.entity);

  const recheck = async () => {
    if (!projectRef) {
      return;
    }
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      await api.refreshScorecard(projectRef);
      alertApi.post({ message: `Re-checked ${projectRef}.`, severity: 'success', display: 'transient' });
      state.retry();
    } catch (error) {
      setRefreshError(error as Error);
    } finally {
      setRefreshing(false);
    }
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Button
          variant="outlined"
          color="primary"
          onClick={recheck}
          disabled={refreshing || !projectRef}
        >
          {refreshing ? 'Re-checking…' : 'Re-check now'}
        </Button>{' '}
        {projectRef && (
          <LinkButton
            variant="contained"
            color="primary"
            to={moveToKubernetesTemplateUrl(state.value?.projectPath ?? projectRef)}
          >
            Move to Kubernetes runners
          </LinkButton>
        )}
      </Grid>
      {refreshError && (
        <Grid item xs={12}>
          <ResponseErrorPanel error={refreshError} title="Re-check failed" />
        </Grid>
      )}
      <Grid item xs={12}>
        <AsyncContent {...state}>
          {scorecard =>
            scorecard === null ? (
              <EmptyState
                missing="data"
                title="No scorecard yet"
                description="This project has not been evaluated yet. Use Re-check now to evaluate it."
              />
            ) : (
              <Grid container spacing={3}>
                <Grid item xs={12}>
                  <InfoCard title={`Score ${scorecard.score} / 100`}>
                    <LevelStatus level={scorecard.level} />
                    <Typography variant="body2">
                      Phase: {phaseLabel(scorecard.phase)}. {countOpen(scorecard, 'blocker')}{' '}
                      open blockers, {countOpen(scorecard, 'warning')} open warnings. Evaluated{' '}
                      {new Date(scorecard.evaluatedAt).toLocaleString()}.
                    </Typography>
                  </InfoCard>
                </Grid>
                <Grid item xs={12}>
                  <Findings scorecard={scorecard} />
                </Grid>
                <Grid item xs={12}>
                  <ScoreHistoryChart projectRef={scorecard.projectPath} />
                </Grid>
              </Grid>
            )
          }
        </AsyncContent>
      </Grid>
    </Grid>
  );
};
