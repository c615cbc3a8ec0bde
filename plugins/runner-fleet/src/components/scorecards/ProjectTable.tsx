import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ProjectSummary } from '@runner-fleet/plugin-runner-fleet-common';
import { runnerFleetApiRef, type ProjectQuery } from '../../api';
import { phaseLabel, LevelStatus } from './ScorecardSummary';

const columns: TableColumn<ProjectSummary>[] = [
  {
    title: 'Project',
    field: 'projectPath',
    highlight: true,
    render: row =>
      row.entityRef ? (
        <Link to={`/catalog/${row.entityRef.replace(/^([^:]+):([^/]+)\//, '$2/$1/')}/kubernetes-migration`}>
          {row.projectPath}
        </Link>
      ) : (
        row.projectPath
      ),
  },
  {
    title: 'Owner',
    field: 'ownerRef',
    render: row => (row.ownerRef ? <EntityRefLink entityRef={row.ownerRef} /> : '–'),
  },
  { title: 'Group', field: 'group', sorting: false },
  { title: 'Score', field: 'score', type: 'numeric', render: row => row.score ?? '–' },
  {
    title: 'Level',
    field: 'level',
    render: row => (row.level ? <LevelStatus level={row.level} /> : 'not evaluated'),
  },
  { title: 'Phase', field: 'phase', render: row => (row.phase ? phaseLabel(row.phase) : '–') },
  { title: 'Blockers', field: 'blockers', type: 'numeric' },
  { title: 'Warnings', field: 'warnings', type: 'numeric', sorting: false },
  {
    title: 'Evaluated',
    field: 'evaluatedAt',
    render: row => {
      if (row.error) {
        return `failed: ${row.error}`;
      }
      return row.evaluatedAt ? new Date(row.evaluatedAt).toLocaleString() : 'pending';
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
export function toProjectQuery(query: TableQuery): ProjectQuery {
  const field = typeof query.orderBy?.field === 'string' ? query.orderBy.field : undefined;
  const sortKey = field ? SORT_KEYS[field] : undefined;
  return {
    page: query.page + 1,
    pageSize: query.pageSize,
    sort: sortKey ? `${query.orderDirection === 'desc' ? '-' : ''}${sortKey}` : undefined,
    q: query.search || undefined,
  };
}

/**
 * All projects with their scorecards. Sorting, filtering and pagination run
 * on the server, so the table stays fast with tens of thousands of projects.
 */
export const ProjectTable = () => {
  const api = useApi(runnerFleetApiRef);
  return (
    <Table<ProjectSummary>
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
        const page = await api.listProjects(toProjectQuery(query));
        return { data: page.items, page: query.page, totalCount: page.totalCount };
      }}
    />
  );
};
