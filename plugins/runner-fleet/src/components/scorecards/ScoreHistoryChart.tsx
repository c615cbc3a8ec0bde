import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { runnerFleetApiRef } from '../../api';
import { AsyncContent, chartColor, usePolledAsync } from '../shared';
import { phaseLabel } from './ScorecardSummary';

/** Polling interval of the history, because the backend evaluates projects every 5 minutes by default. */
const HISTORY_POLL_MS = 60_000;

/** Score of one project over its evaluations, oldest first. */
export const ScoreHistoryChart = (props: { projectRef: string }) => {
  const api = useApi(runnerFleetApiRef);
  const history = usePolledAsync(
    async () => {
      const points = await api.getScorecardHistory(props.projectRef);
      return points
        .map(point => ({ ...point, time: Date.parse(point.evaluatedAt) }))
        .filter(point => !Number.isNaN(point.time))
        .sort((a, b) => a.time - b.time);
    },
    [api, props.projectRef],
    HISTORY_POLL_MS,
  );

  return (
    <InfoCard title="Score over time">
      <AsyncContent {...history}>
        {points =>
          points.length < 2 ? (
            <Typography>
              {points.length === 0
                ? 'No evaluations recorded yet.'
                : 'One evaluation so far; the chart starts with the second.'}
            </Typography>
          ) : (
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="time"
                  type="number"
                  scale="time"
                  domain={['dataMin', 'dataMax']}
                  tickFormatter={time => new Date(time).toISOString().slice(0, 10)}
                />
                <YAxis
                  domain={[0, 100]}
                  label={{ value: 'score (0 to 100)', angle: -90, position: 'insideLeft' }}
                />
                <Tooltip
                  labelFormatter={time => new Date(Number(time)).toLocaleString()}
                  formatter={(value, _name, item) =>
                    `${value} (${phaseLabel(String(item.payload?.phase ?? ''))})`
                  }
                />
                <Line
                  type="stepAfter"
                  dataKey="score"
                  name="score"
                  stroke={chartColor(0)}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          )
        }
      </AsyncContent>
    </InfoCard>
  );
};
