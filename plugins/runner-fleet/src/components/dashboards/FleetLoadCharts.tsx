import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { chartColor, formatSeconds } from '../shared';
import { fastestRise, formatTick, LoadPoint, TimeRange } from './timeRanges';

function timeAxis(range: TimeRange, now: number) {
  return (
    <XAxis
      dataKey="time"
      type="number"
      scale="time"
      domain={[now - range.durationMs, now]}
      tickFormatter={time => formatTick(time, range)}
    />
  );
}

/** Describes what one plotted point stands for, with the finest stored sample step when known. */
function resolutionText(range: TimeRange, resolutionSeconds?: number): string {
  if (range.bucketMs > 0) {
    return `maximum per ${Math.round(range.bucketMs / 60_000)} min`;
  }
  return resolutionSeconds
    ? `every sample (${formatSeconds(resolutionSeconds)} apart)`
    : 'every sample';
}

/** Running and pending jobs over the selected range, with the concurrency limit. */
export const RunningJobsChart = (props: {
  points: LoadPoint[];
  range: TimeRange;
  now: number;
  concurrency?: number;
  resolutionSeconds?: number;
}) => {
  const { points, range, now, concurrency } = props;
  const rise = fastestRise(points, 60_000);
  return (
    <InfoCard
      title="Running jobs"
      subheader={`${range.label}, ${resolutionText(range, props.resolutionSeconds)}`}
    >
      {points.length === 0 ? (
        <Typography>No samples in this range.</Typography>
      ) : (
        <>
          {rise && (
            <Typography variant="body2" gutterBottom>
              Fastest rise: {rise.added} jobs within a minute, up to{' '}
              {new Date(rise.at).toLocaleTimeString()}.
            </Typography>
          )}
          <ResponsiveContainer width="100%" height={280}>
            <LineChart data={points}>
              <CartesianGrid strokeDasharray="3 3" />
              {timeAxis(range, now)}
              <YAxis
                allowDecimals={false}
                label={{ value: 'jobs', angle: -90, position: 'insideLeft' }}
              />
              <Tooltip labelFormatter={time => new Date(Number(time)).toLocaleString()} />
              <Legend />
              {concurrency !== undefined && (
                <ReferenceLine y={concurrency} stroke="red" strokeDasharray="4 4" label="concurrency" />
              )}
              <Line
                type="stepAfter"
                dataKey="runningJobs"
                name="running"
                stroke={chartColor(0)}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="stepAfter"
                dataKey="pendingJobs"
                name="pending"
                stroke={chartColor(2)}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </>
      )}
    </InfoCard>
  );
};

/** Queue wait percentiles over the selected range, in seconds. */
export const QueueWaitChart = (props: {
  points: LoadPoint[];
  range: TimeRange;
  now: number;
  resolutionSeconds?: number;
}) => {
  const { points, range, now } = props;
  return (
    <InfoCard
      title="Queue wait"
      subheader={`Time from job creation to start, percentiles, ${resolutionText(
        range,
        props.resolutionSeconds,
      )}`}
    >
      {points.length === 0 ? (
        <Typography>No samples in this range.</Typography>
      ) : (
        <ResponsiveContainer width="100%" height={280}>
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            {timeAxis(range, now)}
            <YAxis label={{ value: 'seconds', angle: -90, position: 'insideLeft' }} />
            <Tooltip
              labelFormatter={time => new Date(Number(time)).toLocaleString()}
              formatter={value => formatSeconds(Number(value))}
            />
            <Legend />
            {(['p50', 'p90', 'p99'] as const).map((key, index) => (
              <Line
                key={key}
                dataKey={key}
                name={key}
                stroke={chartColor(index + 3)}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </InfoCard>
  );
};

/** Failed jobs by GitLab `failure_reason`, most frequent first. */
export const FailuresChart = (props: {
  failures: Array<{ reason: string; count: number }>;
  range: TimeRange;
}) => {
  const rows = [...props.failures].sort((a, b) => b.count - a.count);
  return (
    <InfoCard title="Failures by reason" subheader={props.range.label}>
      {rows.length === 0 ? (
        <Typography>No failed jobs in this range.</Typography>
      ) : (
        <>
          <ul aria-label="failures by reason">
            {rows.map(row => (
              <li key={row.reason}>
                <Typography variant="body2">
                  {row.reason}: {row.count}
                </Typography>
              </li>
            ))}
          </ul>
          <ResponsiveContainer width="100%" height={40 + rows.length * 32}>
            <BarChart data={rows} layout="vertical" margin={{ left: 80 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                type="number"
                allowDecimals={false}
                label={{ value: 'failed jobs', position: 'insideBottom', offset: -4 }}
              />
              <YAxis type="category" dataKey="reason" width={160} />
              <Tooltip />
              <Bar dataKey="count" name="failed jobs" fill={chartColor(2)} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </>
      )}
    </InfoCard>
  );
};
