import { InfoCard } from '@backstage/core-components';
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
import type { FleetSummary, MigrationOverview } from '../../api';
import { chartColor, LEGACY_COLOR } from '../shared/colors';

/** Chart rows: one per day, one numeric field per fleet entity reference. */
export interface MigrationChartData {
  legacyRefs: string[];
  kubernetesRefs: string[];
  rows: Array<{ date: string } & Record<string, number | string>>;
  /** Share of the last day's jobs that ran on Kubernetes fleets, 0 to 1. */
  lastDayKubernetesShare?: number;
}

/**
 * Splits each day's jobs into the legacy fleet and the Kubernetes fleets.
 * The legacy fleet comes from the backend when it names one, otherwise it is
 * every fleet with the `docker+machine` executor.
 */
export function toMigrationChartData(
  overview: MigrationOverview,
  fleets: FleetSummary[],
): MigrationChartData {
  const legacy = new Set<string>(
    overview.legacyFleetRef
      ? [overview.legacyFleetRef]
      : fleets.filter(f => f.executor === 'docker+machine').map(f => f.entityRef),
  );
  const seen = new Set<string>();
  for (const day of overview.days) {
    Object.keys(day.jobsByFleet).forEach(ref => seen.add(ref));
  }
  const legacyRefs = [...seen].filter(ref => legacy.has(ref)).sort();
  const kubernetesRefs = [...seen].filter(ref => !legacy.has(ref)).sort();
  const rows = overview.days.map(day => ({ date: day.date, ...day.jobsByFleet }));

  const lastDay = overview.days[overview.days.length - 1];
  let lastDayKubernetesShare: number | undefined;
  if (lastDay) {
    const total = Object.values(lastDay.jobsByFleet).reduce((a, b) => a + b, 0);
    const kubernetes = kubernetesRefs.reduce(
      (sum, ref) => sum + (lastDay.jobsByFleet[ref] ?? 0),
      0,
    );
    lastDayKubernetesShare = total > 0 ? kubernetes / total : undefined;
  }
  return { legacyRefs, kubernetesRefs, rows, lastDayKubernetesShare };
}

function shortName(ref: string): string {
  return ref.replace(/^[^:]+:/, '').replace(/^default\//, '');
}

/** Stacked bar chart of jobs per day, legacy fleet at the bottom. */
export const MigrationJobsChart = (props: {
  overview: MigrationOverview;
  fleets: FleetSummary[];
}) => {
  const data = toMigrationChartData(props.overview, props.fleets);
  const share = data.lastDayKubernetesShare;
  return (
    <InfoCard
      title="Migration at a glance"
      subheader={`Jobs per day, legacy fleet against Kubernetes fleets${
        props.overview.decommissionDate
          ? `; legacy fleet decommissioned on ${props.overview.decommissionDate}`
          : ''
      }`}
    >
      {data.rows.length === 0 ? (
        <Typography>No job counts yet. The backend records them once a day.</Typography>
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
              <XAxis dataKey="date" />
              <YAxis
                allowDecimals={false}
                label={{ value: 'jobs per day', angle: -90, position: 'insideLeft' }}
              />
              <Tooltip />
              <Legend />
              {data.legacyRefs.map(ref => (
                <Bar
                  key={ref}
                  dataKey={ref}
                  name={`${shortName(ref)} (legacy)`}
                  stackId="jobs"
                  fill={LEGACY_COLOR}
                />
              ))}
              {data.kubernetesRefs.map((ref, index) => (
                <Bar
                  key={ref}
                  dataKey={ref}
                  name={shortName(ref)}
                  stackId="jobs"
                  fill={chartColor(index)}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </>
      )}
    </InfoCard>
  );
};
