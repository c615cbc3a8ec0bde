import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MigrationProgress } from '@runner-fleet/plugin-runner-fleet-common';
import { chartColor, LEGACY_COLOR } from '../shared';
import { PHASE_LABELS, PHASES } from './labels';

const PHASE_COLORS = [
  LEGACY_COLOR,
  chartColor(2),
  chartColor(0),
  chartColor(1),
];

/** Chart rows with `time` in epoch ms; dates that do not parse are dropped. */
export function toProgressRows(progress: Pick<MigrationProgress, 'items'>) {
  return progress.items.flatMap(point => {
    const time = Date.parse(point.day);
    if (Number.isNaN(time)) {
      return [];
    }
    const row: Record<string, number> = { time };
    for (const phase of PHASES) {
      row[phase] = point.byPhase[phase] ?? 0;
    }
    return [row];
  });
}

function formatDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Describes the only evaluation day in words, because an area chart of one
 * point draws no area. Uses the current counts when the backend sends them,
 * otherwise the day's own counts.
 */
export function describeSingleDay(
  progress: Pick<MigrationProgress, 'current'>,
  row: Record<string, number>,
): string {
  const counts = PHASES.map(
    phase =>
      `${PHASE_LABELS[phase]} ${progress.current?.[phase] ?? row[phase] ?? 0}`,
  );
  const day = formatDate(row.time);
  const phases = counts.join(', ');
  return (
    `Only one evaluation day so far (${day}). Projects by phase: ${phases}. ` +
    'The chart appears once a second day is evaluated.'
  );
}

/** Projects by phase over time, with the decommission date marked. */
export const MigrationProgressChart = (props: {
  progress: MigrationProgress;
}) => {
  const rows = toProgressRows(props.progress);
  const decommission = props.progress.decommissionDate
    ? Date.parse(props.progress.decommissionDate)
    : Number.NaN;
  const last = rows[rows.length - 1];
  const domainEnd = Math.max(
    last?.time ?? 0,
    Number.isNaN(decommission) ? 0 : decommission,
  );
  const current = props.progress.current;
  const remaining = current
    ? (current.legacy ?? 0) + (current['opted-in'] ?? 0)
    : undefined;
  return (
    <InfoCard
      title="Projects by phase"
      subheader={`Towards the legacy fleet's decommission date, ${
        props.progress.decommissionDate
      } (${
        props.progress.daysToDecommission >= 0
          ? `in ${props.progress.daysToDecommission} days`
          : `${-props.progress.daysToDecommission} days ago`
      })`}
    >
      {rows.length === 0 ? (
        <Typography>
          No history yet. The backend records phase counts once a day.
        </Typography>
      ) : (
        <>
          {remaining !== undefined && (
            <Typography variant="body2" gutterBottom>
              {remaining} projects still depend on the legacy fleet (legacy or
              opted in).
            </Typography>
          )}
          {rows.length === 1 ? (
            <Typography>
              {describeSingleDay(props.progress, rows[0])}
            </Typography>
          ) : (
            <ResponsiveContainer width="100%" height={300}>
              <AreaChart data={rows}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="time"
                  type="number"
                  scale="time"
                  domain={[rows[0].time, domainEnd]}
                  tickFormatter={formatDate}
                />
                <YAxis
                  allowDecimals={false}
                  label={{
                    value: 'projects',
                    angle: -90,
                    position: 'insideLeft',
                  }}
                />
                <Tooltip labelFormatter={time => formatDate(Number(time))} />
                <Legend />
                {!Number.isNaN(decommission) && (
                  <ReferenceLine
                    x={decommission}
                    stroke="red"
                    label="decommission"
                  />
                )}
                {PHASES.map((phase, index) => (
                  <Area
                    key={phase}
                    type="monotone"
                    dataKey={phase}
                    name={PHASE_LABELS[phase]}
                    stackId="phases"
                    stroke={PHASE_COLORS[index]}
                    fill={PHASE_COLORS[index]}
                    isAnimationActive={false}
                  />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          )}
        </>
      )}
    </InfoCard>
  );
};
