import { useMemo, useRef } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import useInterval from 'react-use/esm/useInterval';
import Chip from '@material-ui/core/Chip';
import type {
  FleetRunner,
  Page,
} from '@runner-fleet/plugin-runner-fleet-common';
import { formatAge, POLL_INTERVAL_MS } from '../shared';
import { isOldVersion, isStale } from './runnerHealth';

function statusChips(runner: FleetRunner, newest: string | undefined) {
  const chips = [];
  if (isStale(runner)) {
    chips.push(
      <Chip key="stale" label="stale runner" size="small" color="secondary" />,
    );
  } else if (runner.status === 'offline') {
    chips.push(
      <Chip key="offline" label="offline" size="small" color="secondary" />,
    );
  } else if (runner.status === 'never_contacted') {
    chips.push(<Chip key="never" label="never contacted" size="small" />);
  }
  if (runner.paused) {
    chips.push(<Chip key="paused" label="paused" size="small" />);
  }
  if (isOldVersion(runner.version, newest)) {
    chips.push(
      <Chip
        key="old"
        label={`old version, newest ${newest}`}
        size="small"
        color="secondary"
      />,
    );
  } else if (runner.outdated) {
    chips.push(
      <Chip key="old" label="old version" size="small" color="secondary" />,
    );
  }
  return chips;
}

/**
 * Runners of a fleet, one page at a time from the backend, with stale
 * runners and runners on an old minor version flagged.
 */
export const FleetRunnersTable = (props: {
  title?: string;
  /** Newest GitLab Runner version of the fleet; older minor versions get flagged. */
  newestVersion?: string;
  /** Fetches one page; `page` is 1-based, as the backend counts. */
  fetchPage: (page: {
    page: number;
    pageSize: number;
  }) => Promise<Page<FleetRunner>>;
  pageSize?: number;
}) => {
  const { fetchPage, newestVersion } = props;
  const tableRef = useRef<any>();

  // Remote tables fetch only when paged, so the current page is fetched
  // again on the dashboards' polling interval.
  useInterval(() => tableRef.current?.onQueryChange?.(), POLL_INTERVAL_MS);

  const columns = useMemo(
    (): TableColumn<FleetRunner>[] => [
      { title: 'ID', field: 'id', width: '80px' },
      { title: 'Description', field: 'description', highlight: true },
      { title: 'Status', field: 'status' },
      { title: 'Version', field: 'version' },
      { title: 'Architecture', field: 'architecture' },
      {
        title: 'Cluster',
        field: 'cluster',
        // Show the entity name; the full reference is in the tooltip.
        render: runner =>
          runner.cluster ? (
            <span title={runner.cluster}>
              {runner.cluster.split('/').pop()}
            </span>
          ) : (
            'unknown'
          ),
      },
      {
        title: 'Last contact',
        field: 'contactedAt',
        render: runner => (
          <span title={runner.contactedAt}>
            {formatAge(runner.contactedAt)}
          </span>
        ),
      },
      { title: 'Flags', render: runner => statusChips(runner, newestVersion) },
    ],
    [newestVersion],
  );

  return (
    <Table<FleetRunner>
      tableRef={tableRef}
      title={props.title ?? 'Runners'}
      columns={columns}
      options={{
        paging: true,
        pageSize: props.pageSize ?? 20,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      data={async query => {
        // The table counts pages from 0, the backend from 1.
        const page = await fetchPage({
          page: query.page + 1,
          pageSize: query.pageSize,
        });
        return {
          data: page.items,
          page: query.page,
          totalCount: page.totalCount,
        };
      }}
    />
  );
};
