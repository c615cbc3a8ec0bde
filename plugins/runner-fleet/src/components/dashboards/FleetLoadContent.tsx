import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { FleetLiveFacts } from '@runner-fleet/plugin-runner-fleet-common';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { runnerFleetApiRef, type FleetName } from '../../api';
import { AsyncContent, formatSeconds, usePolledAsync } from '../shared';
import { FailuresChart, QueueWaitChart, RunningJobsChart } from './FleetLoadCharts';
import { FleetRunnersTable } from './FleetRunnersTable';
import { TIME_RANGES, toLoadPoints } from './timeRanges';

/** Current numbers of a fleet, from the backend's latest sample. */
const CurrentLoadCard = (props: { fleet: FleetName }) => {
  const api = useApi(runnerFleetApiRef);
  const load = usePolledAsync(() => api.getFleetLoad(props.fleet), [api, props.fleet.namespace, props.fleet.name]);
  return (
    <InfoCard title="Now">
      <AsyncContent {...load}>
        {value => (
          <Typography component="div" variant="body2">
            <div>
              Running {value.runningJobs}
              {value.concurrency !== undefined ? ` of ${value.concurrency}` : ''} jobs,{' '}
              {value.pendingJobs} pending, {value.jobsStartedPerMinute.toFixed(1)} started per
              minute.
            </div>
            <div>
              Queue wait p50 {formatSeconds(value.queueWaitSeconds.p50)}, p90{' '}
              {formatSeconds(value.queueWaitSeconds.p90)}, p99{' '}
              {formatSeconds(value.queueWaitSeconds.p99)}.
            </div>
            <div>
              Sampled {new Date(value.sampledAt).toLocaleString()} from {value.source}.
            </div>
          </Typography>
        )}
      </AsyncContent>
    </InfoCard>
  );
};

/**
 * Load of one fleet: running jobs and queue wait over a selectable range,
 * failures by reason and the fleet's runners. Used as the "Load" tab of a
 * `gitlab-runner-fleet` resource.
 */
export const FleetLoadContent = () => {
  const { entity } = useEntity();
  const api = useApi(runnerFleetApiRef);
  const [rangeId, setRangeId] = useState('1h');
  const range = TIME_RANGES.find(r => r.id === rangeId) ?? TIME_RANGES[1];
  const fleet: FleetName = {
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const live = (entity.spec as { live?: Partial<FleetLiveFacts> } | undefined)?.live;
  const concurrency = (entity.spec as { concurrency?: number } | undefined)?.concurrency;

  const samples = usePolledAsync(async () => {
    const now = Date.now();
    const items = await api.getFleetSamples(fleet, {
      from: new Date(now - range.durationMs),
      to: new Date(now),
    });
    const resolutions = items.map(item => item.resolutionSeconds).filter(r => r > 0);
    return {
      now,
      points: toLoadPoints(items, range.bucketMs),
      resolutionSeconds: resolutions.length > 0 ? Math.min(...resolutions) : undefined,
    };
  }, [api, fleet.namespace, fleet.name, range.id]);
  const failures = usePolledAsync(
    () => api.getFleetFailures(fleet, range.failureWindow),
    [api, fleet.namespace, fleet.name, range.id],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        <CurrentLoadCard fleet={fleet} />
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          select
          fullWidth
          id="runner-fleet-time-range"
          label="Time range"
          value={range.id}
          onChange={event => setRangeId(event.target.value)}
        >
          {TIME_RANGES.map(r => (
            <MenuItem key={r.id} value={r.id}>
              {r.label}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} lg={6}>
        <AsyncContent {...samples}>
          {value => (
            <RunningJobsChart
              points={value.points}
              range={range}
              now={value.now}
              concurrency={concurrency}
              resolutionSeconds={value.resolutionSeconds}
            />
          )}
        </AsyncContent>
      </Grid>
      <Grid item xs={12} lg={6}>
        <AsyncContent {...samples}>
          {value => (
            <QueueWaitChart
              points={value.points}
              range={range}
              now={value.now}
              resolutionSeconds={value.resolutionSeconds}
            />
          )}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <AsyncContent {...failures}>
          {value => <FailuresChart failures={value.items} range={range} />}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <FleetRunnersTable
          newestVersion={live?.versions?.[0]}
          fetchPage={page => api.getFleetRunners(fleet, page)}
        />
      </Grid>
    </Grid>
  );
};
