import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { ScorecardRollup } from '@runner-fleet/plugin-runner-fleet-common';
import type { RollupDimension } from '../../api';
import { LEVEL_LABELS, PHASE_LABELS, PHASES } from './labels';

type Row = ScorecardRollup & { id: string; blocked?: number };

/** Cell style that keeps ids and short values on one line, because the table otherwise breaks them inside words. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

function breakdownColumns(by: RollupDimension): TableColumn<Row>[] {
  return [
    {
      title: by === 'owner' ? 'Owner' : 'Group',
      field: 'key',
      highlight: true,
      // Names may wrap, but the minimum width stops a break inside every word.
      cellStyle: { minWidth: 200 },
      render: row =>
        by === 'owner' && row.key.includes(':') ? (
          <EntityRefLink entityRef={row.key} />
        ) : (
          row.key
        ),
    },
    {
      title: 'Projects',
      field: 'projects',
      type: 'numeric',
      defaultSort: 'desc',
      cellStyle: NO_WRAP,
    },
    ...PHASES.map(
      (phase): TableColumn<Row> => ({
        title: PHASE_LABELS[phase],
        type: 'numeric',
        cellStyle: NO_WRAP,
        customSort: (a, b) =>
          (a.byPhase?.[phase] ?? 0) - (b.byPhase?.[phase] ?? 0),
        render: row => row.byPhase?.[phase] ?? 0,
      }),
    ),
    {
      title: LEVEL_LABELS.blocked,
      type: 'numeric',
      cellStyle: NO_WRAP,
      customSort: (a, b) =>
        (a.byLevel?.blocked ?? 0) - (b.byLevel?.blocked ?? 0),
      render: row => row.byLevel?.blocked ?? 0,
    },
  ];
}

/** Projects per owner or GitLab group, by phase and blocked count. */
export const BreakdownTable = (props: {
  by: 'owner' | 'group';
  rows: ScorecardRollup[];
}) => (
  <Table<Row>
    title={props.by === 'owner' ? 'By owner' : 'By GitLab group'}
    columns={breakdownColumns(props.by)}
    data={props.rows.map(row => ({ ...row, id: row.key }))}
    options={{
      paging: props.rows.length > 10,
      pageSize: 10,
      padding: 'dense',
      search: true,
    }}
    emptyContent={
      <Typography style={{ padding: 16 }}>
        No projects evaluated yet.
      </Typography>
    }
  />
);

/** Projects a rule blocks: every project with a finding of a blocker rule. */
function blockedBy(rule: ScorecardRollup): number {
  return rule.severity === 'blocker' ? rule.projects : 0;
}

/** Sorts rule rows by blocked projects, then by affected projects. */
export function topBlockingRules(rows: ScorecardRollup[], limit = 10): Row[] {
  return rows
    .map(row => ({ ...row, id: row.key, blocked: blockedBy(row) }))
    .sort((a, b) => b.blocked - a.blocked || b.projects - a.projects)
    .slice(0, limit);
}

const ruleColumns: TableColumn<Row>[] = [
  { title: 'Rule', field: 'key', cellStyle: NO_WRAP },
  { title: 'Severity', field: 'severity', cellStyle: NO_WRAP },
  {
    title: 'Projects blocked',
    field: 'blocked',
    type: 'numeric',
    cellStyle: NO_WRAP,
  },
  {
    title: 'Projects affected',
    field: 'projects',
    type: 'numeric',
    cellStyle: NO_WRAP,
  },
  { title: 'Findings', field: 'findings', type: 'numeric', cellStyle: NO_WRAP },
];

/** The rules that block the most projects. */
export const BlockingRulesTable = (props: { rows: ScorecardRollup[] }) => {
  const rows = topBlockingRules(props.rows);
  return (
    <Table<Row>
      title="Rules that block the most projects"
      columns={ruleColumns}
      data={rows}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No rule blocks any project.
        </Typography>
      }
    />
  );
};
