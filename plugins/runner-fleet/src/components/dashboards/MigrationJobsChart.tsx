import { InfoCard } from '@backstage/core-components';
import type { MigrationOverview } from '@runner-fleet/plugin-runner-fleet-common';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { chartColor, LEGACY_COLOR } from '../shared/colors';

/** Data key of the legacy fleet's bar. */
const LEGACY_KEY = 'legacy';
/** Data key of Kubernetes jobs the backend did not attribute to a fleet. */
const OTHER_KEY = 'other Kubernetes fleets';

/** Chart rows: one per day, the legacy count and one field per Kubernetes fleet. */
export interface MigrationChartData {
  kubernetesKeys: string[];
  rows: Array<Record<string, number | string>>;
  /** Share of the last day's jobs that ran on Kubernetes fleets, 0 to 1. */
  lastDayKubernetesShare?: number;
}

function shortName(ref: string): string {
  return ref.replace(/^[^:]+:/, '').replace(/^default\//, '');
}

/** Turns the backend's days into stacked bar rows, legacy jobs separate from each Kubernetes fleet. */
export function toMigrationChartData(overview: MigrationOverview): MigrationChartData {
  const keys = new Set<string>();
  const rows = overview.items.map(day => {
    const row: Record<string, number | string> = { day: day.day, [LEGACY_KEY]: day.legacyJobs };
    let attributed = 0;
    for (const [ref, jobs] of Object.entries(day.byFleet)) {
      const key = shortName(ref);
      keys.add(key);
      row[key] = jobs;
      attributed += jobs;
    }
    if (day.kubernetesJobs > attributed) {
      keys.add(OTHER_KEY);
      row[OTHER_KEY] = day.kubernetesJobs - attributed;
    }
    return row;
  });

  const lastDay = overview.items[overview.items.length - 1];
  let lastDayKubernetesShare: number | undefined;
  if (lastDay) {
    const total = lastDay.legacyJobs + lastDay.kubernetesJobs;
    lastDayKubernetesShare = total > 0 ? lastDay.kubernetesJobs / total : undefined;
  }
  return { kubernetesKeys: [...keys].sort(), rows, lastDayKubernetesShare };
}

/** Stacked bar chart of jobs per day, the legacy fleet at the bottom in grey. */
export const MigrationJobsChart = (props: { overview: MigrationOverview }) => {
  const data = toMigrationChartData(props.overview);
  const share = data.lastDayKubernetesShare;
  return (
    <InfoCard
      title="Migration at a glance"
      subheader={`Jobs per day on ${shortName(props.overview.legacyFleetRef)} against the Kubernetes fleets; decommission on ${props.overview.decommissionDate}`}
    >
      {data.rows.length === 0 ? (
        <Typography>No job counts yet. The backend counts jobs as it samples the fleets.</Typography>
      ) : (
        <>
          {share !== undefined && (
            <Typography variant="body2" gutterBottom>
              Last day: {Math.round(share * 100)} % of jobs ran on Kubernetes fleets.
            </Typography>
          )}
          <ResponsiveContainer width="100%" height={300}>
            <BarChart data={data.rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis
                allowDecimals={false}
                label={{ value: 'jobs per day', angle: -90, position: 'insideLeft' }}
              />
              <Tooltip />
              <Legend />
              <Bar
                dataKey={LEGACY_KEY}
                name={`${shortName(props.overview.legacyFleetRef)} (legacy)`}
                stackId="jobs"
                fill={LEGACY_COLOR}
                isAnimationActive={false}
              />
              {data.kubernetesKeys.map((key, index) => (
                <Bar
                  key={key}
                  dataKey={key}
                  name={key}
                  stackId="jobs"
                  fill={chartColor(index)}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </>
      )}
    </InfoCard>
  );
};
