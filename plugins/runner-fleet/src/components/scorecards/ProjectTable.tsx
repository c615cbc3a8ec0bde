import { useEffect, useRef, useState } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ProjectSummary } from '@runner-fleet/plugin-runner-fleet-common';
import { runnerFleetApiRef, type ProjectQuery } from '../../api';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { LEVEL_LABELS, PHASE_LABELS, PHASES } from './labels';
import { phaseLabel, LevelStatus } from './ScorecardSummary';

const columns: TableColumn<ProjectSummary>[] = [
  {
    title: 'Project',
    field: 'projectPath',
    highlight: true,
    render: row =>
      row.entityRef ? (
        <Link
          to={`/catalog/${row.entityRef.replace(
            /^([^:]+):([^/]+)\//,
            '$2/$1/',
          )}/kubernetes-migration`}
        >
          {row.projectPath}
        </Link>
      ) : (
        row.projectPath
      ),
  },
  {
    title: 'Owner',
    field: 'ownerRef',
    render: row =>
      row.ownerRef ? <EntityRefLink entityRef={row.ownerRef} /> : '–',
  },
  { title: 'Group', field: 'group', sorting: false },
  {
    title: 'Score',
    field: 'score',
    type: 'numeric',
    render: row => row.score ?? '–',
  },
  {
    title: 'Level',
    field: 'level',
    render: row =>
      row.level ? <LevelStatus level={row.level} /> : 'not evaluated',
  },
  {
    title: 'Phase',
    field: 'phase',
    render: row => (row.phase ? phaseLabel(row.phase) : '–'),
  },
  { title: 'Blockers', field: 'blockers', type: 'numeric' },
  { title: 'Warnings', field: 'warnings', type: 'numeric', sorting: false },
  {
    title: 'Evaluated',
    field: 'evaluatedAt',
    render: row => {
      if (row.error) {
        return `failed: ${row.error}`;
      }
      return row.evaluatedAt
        ? new Date(row.evaluatedAt).toLocaleString()
        : 'pending';
    },
  },
];

/** Table fields and the backend's sort keys for them. */
const SORT_KEYS: Record<string, string> = {
  projectPath: 'projectPath',
  ownerRef: 'owner',
  score: 'score',
  level: 'level',
  phase: 'phase',
  blockers: 'blockers',
  evaluatedAt: 'evaluatedAt',
};

/** The parts of the table's remote-data query that the backend uses. */
export interface TableQuery {
  page: number;
  pageSize: number;
  search?: string;
  orderBy?: { field?: unknown };
  orderDirection?: string;
}

/**
 * Maps the table's query to the backend's: pages from 1 instead of 0, sort
 * keys with `-` for descending order, and the search box as free text `q`.
 */
export function toProjectQuery(
  query: TableQuery,
  filters: ProjectFilters = {},
): ProjectQuery {
  const field =
    typeof query.orderBy?.field === 'string' ? query.orderBy.field : undefined;
  const sortKey = field ? SORT_KEYS[field] : undefined;
  const filter = [
    filters.phase ? `phase:${filters.phase}` : undefined,
    filters.level ? `level:${filters.level}` : undefined,
  ]
    .filter(Boolean)
    .join(',');
  return {
    page: query.page + 1,
    pageSize: query.pageSize,
    sort: sortKey
      ? `${query.orderDirection === 'desc' ? '-' : ''}${sortKey}`
      : undefined,
    filter: filter || undefined,
    q: query.search || undefined,
  };
}

/** Phase and level chosen above the table; empty means any. */
export interface ProjectFilters {
  phase?: string;
  level?: string;
}

const FilterSelect = (props: {
  id: string;
  label: string;
  value: string;
  options: Array<[string, string]>;
  onChange: (value: string) => void;
}) => (
  <TextField
    select
    id={props.id}
    label={props.label}
    value={props.value}
    onChange={event => props.onChange(event.target.value)}
    style={{ minWidth: 180 }}
  >
    <MenuItem value="">Any</MenuItem>
    {props.options.map(([value, label]) => (
      <MenuItem key={value} value={value}>
        {label}
      </MenuItem>
    ))}
  </TextField>
);

/**
 * All projects with their scorecards. Sorting, filtering and pagination run
 * on the server, so the table stays fast with tens of thousands of projects.
 */
export const ProjectTable = () => {
  const api = useApi(runnerFleetApiRef);
  const [filters, setFilters] = useState<ProjectFilters>({});
  const filtersRef = useRef(filters);
  const tableRef = useRef<any>();

  const mounted = useRef(false);

  // The table keeps its own query state, so a filter change asks it to
  // fetch again from the first page. Its first fetch needs no nudge.
  useEffect(() => {
    filtersRef.current = filters;
    if (mounted.current) {
      tableRef.current?.onQueryChange?.({ page: 0 });
    }
    mounted.current = true;
  }, [filters]);

  return (
    <Grid container spacing={1}>
      <Grid item>
        <FilterSelect
          id="runner-fleet-project-phase"
          label="Phase"
          value={filters.phase ?? ''}
          options={PHASES.map(phase => [phase, PHASE_LABELS[phase]])}
          onChange={phase =>
            setFilters(current => ({ ...current, phase: phase || undefined }))
          }
        />
      </Grid>
      <Grid item>
        <FilterSelect
          id="runner-fleet-project-level"
          label="Level"
          value={filters.level ?? ''}
          options={Object.entries(LEVEL_LABELS)}
          onChange={level =>
            setFilters(current => ({ ...current, level: level || undefined }))
          }
        />
      </Grid>
      <Grid item xs={12}>
        <Table<ProjectSummary>
          tableRef={tableRef}
          title="Projects"
          columns={columns}
          options={{
            paging: true,
            pageSize: 25,
            pageSizeOptions: [25, 50, 100],
            search: true,
            debounceInterval: 400,
            padding: 'dense',
          }}
          data={async query => {
            const page = await api.listProjects(
              toProjectQuery(query, filtersRef.current),
            );
            return {
              data: page.items,
              page: query.page,
              totalCount: page.totalCount,
            };
          }}
        />
      </Grid>
    </Grid>
  );
};
