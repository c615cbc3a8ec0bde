import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef, type ProjectQuery, type ProjectRow } from '../../api';
import { phaseLabel, LevelStatus } from './ScorecardSummary';

const columns: TableColumn<ProjectRow>[] = [
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
    field: 'owner',
    render: row => (row.owner ? <EntityRefLink entityRef={row.owner} /> : '–'),
  },
  { title: 'Group', field: 'group' },
  { title: 'Score', field: 'score', type: 'numeric' },
  { title: 'Level', field: 'level', render: row => <LevelStatus level={row.level} /> },
  { title: 'Phase', field: 'phase', render: row => phaseLabel(row.phase) },
  { title: 'Blockers', field: 'blockers', type: 'numeric' },
  { title: 'Warnings', field: 'warnings', type: 'numeric' },
];

/** The parts of the table's remote-data query that the backend uses. */
export interface TableQuery {
  page: number;
  pageSize: number;
  search?: string;
  orderBy?: { field?: unknown };
  orderDirection?: string;
}

/** Maps the table's query to the backend's: zero-based page, `-field` for descending order. */
export function toProjectQuery(query: TableQuery): ProjectQuery {
  const field = typeof query.orderBy?.field === 'string' ? query.orderBy.field : undefined;
  return {
    page: query.page,
    pageSize: query.pageSize,
    sort: field ? `${query.orderDirection === 'desc' ? '-' : ''}${field}` : undefined,
    filter: query.search || undefined,
  };
}

/**
 * All projects with their scorecards. Sorting, filtering and pagination run
 * on the server, so the table stays fast with tens of thousands of projects.
 */
export const ProjectTable = () => {
  const api = useApi(runnerFleetApiRef);
  return (
    <Table<ProjectRow>
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
