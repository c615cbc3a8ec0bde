import { Table, TableColumn, TableFilter } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { FleetSummary } from '../../api';
import { formatPercent } from '../shared';

/** Saturation at or above this ratio is shown as a warning. */
const SATURATION_WARNING = 0.9;

/** Cell style that keeps short values such as `docker+machine` on one line. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** Running jobs as a share of concurrency, or NaN when the fleet has no capacity. */
export function fleetSaturation(fleet: FleetSummary): number {
  const running = fleet.load?.runningJobs ?? 0;
  return fleet.concurrency > 0 ? running / fleet.concurrency : Number.NaN;
}

/** A table row: the fleet plus the plain values that sorting and filters use. */
interface FleetRow extends FleetSummary {
  id: string;
  displayName: string;
  saturation: number;
  running: number;
  pending: number;
}

function toRow(fleet: FleetSummary): FleetRow {
  return {
    ...fleet,
    id: fleet.entityRef,
    displayName: fleet.title ?? fleet.name,
    saturation: fleetSaturation(fleet),
    running: fleet.load?.runningJobs ?? 0,
    pending: fleet.load?.pendingJobs ?? 0,
  };
}

/** NaN sorts last in both directions of the table's comparison. */
function compareNumbers(a: number, b: number): number {
  const left = Number.isNaN(a) ? -Infinity : a;
  const right = Number.isNaN(b) ? -Infinity : b;
  return left - right;
}

const columns: TableColumn<FleetRow>[] = [
  {
    title: 'Fleet',
    field: 'displayName',
    highlight: true,
    // Fleet titles may wrap, but the minimum width stops a break after every word.
    cellStyle: { minWidth: 120 },
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.displayName} />
    ),
  },
  { title: 'Lifecycle', field: 'lifecycle', cellStyle: NO_WRAP },
  { title: 'Executor', field: 'executor', cellStyle: NO_WRAP },
  {
    title: 'Tags',
    field: 'tags',
    customFilterAndSearch: (term: string, row) =>
      row.tags.some(tag =>
        tag.toLocaleLowerCase().includes(term.toLocaleLowerCase()),
      ),
    render: row =>
      row.tags.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          untagged only
        </Typography>
      ) : (
        row.tags.map(tag => <Chip key={tag} label={tag} size="small" />)
      ),
  },
  {
    title: 'Runners online / offline / stale',
    field: 'runners.online',
    type: 'numeric',
    cellStyle: NO_WRAP,
    customSort: (a, b) => (a.runners?.online ?? -1) - (b.runners?.online ?? -1),
    render: row =>
      row.runners ? (
        <Tooltip
          title={`${row.runners.total} runners, ${row.runners.paused} paused, ${row.runners.neverContacted} never contacted`}
        >
          <span>
            {row.runners.online} / {row.runners.offline} / {row.runners.stale}
          </span>
        </Tooltip>
      ) : (
        <Typography variant="body2" color="textSecondary">
          not synced yet
        </Typography>
      ),
  },
  {
    title: 'Running / concurrency',
    field: 'running',
    type: 'numeric',
    cellStyle: NO_WRAP,
    render: row => `${row.running} / ${row.concurrency}`,
  },
  { title: 'Pending jobs', field: 'pending', type: 'numeric' },
  {
    title: 'Saturation',
    field: 'saturation',
    type: 'numeric',
    defaultSort: 'desc',
    customSort: (a, b) => compareNumbers(a.saturation, b.saturation),
    render: row => (
      <Typography
        variant="body2"
        color={row.saturation >= SATURATION_WARNING ? 'error' : 'initial'}
      >
        {formatPercent(row.saturation)}
      </Typography>
    ),
  },
];

const filters: TableFilter[] = [
  { column: 'Lifecycle', type: 'multiple-select' },
  { column: 'Executor', type: 'select' },
];

/** Sortable, filterable table of all fleets with runner counts and load. */
export const FleetTable = (props: { fleets: FleetSummary[] }) => (
  <Table<FleetRow>
    title="Fleets"
    columns={columns}
    data={props.fleets.map(toRow)}
    filters={filters}
    options={{
      paging: props.fleets.length > 20,
      pageSize: 20,
      search: true,
      padding: 'dense',
    }}
    emptyContent={
      <Typography style={{ padding: 16 }}>
        No runner fleets yet. Discovery creates them from GitLab's instance
        runners, or declare one in the catalog with spec.type
        gitlab-runner-fleet.
      </Typography>
    }
  />
);
