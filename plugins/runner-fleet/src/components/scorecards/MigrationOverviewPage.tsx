import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import { runnerFleetApiRef } from '../../api';
import { AsyncContent, usePolledAsync } from '../shared';
import { MigrationProgressChart } from './MigrationProgressChart';
import { ProjectTable } from './ProjectTable';
import { BlockingRulesTable, BreakdownTable } from './RollupTables';

/** Polling interval of the organisation view; its numbers change once per evaluation run. */
const ORGANISATION_POLL_MS = 60_000;

/** Downloads the scorecard CSV through the fetch API, which adds the Backstage token. */
const CsvExportButton = () => {
  const api = useApi(runnerFleetApiRef);
  const [error, setError] = useState<Error>();
  const download = async () => {
    setError(undefined);
    try {
      const blob = await api.getScorecardsCsv();
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = 'scorecards.csv';
      anchor.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <>
      <Button variant="outlined" onClick={download}>
        Export CSV
      </Button>
      {error && <ResponseErrorPanel error={error} title="CSV export failed" />}
    </>
  );
};

/** Charts and tables of the organisation view, without the page frame. */
export const MigrationOverviewContent = () => {
  const api = useApi(runnerFleetApiRef);
  const progress = usePolledAsync(
    () => api.getProgress(),
    [api],
    ORGANISATION_POLL_MS,
  );
  const owners = usePolledAsync(
    () => api.getRollups('owner'),
    [api],
    ORGANISATION_POLL_MS,
  );
  const groups = usePolledAsync(
    () => api.getRollups('group'),
    [api],
    ORGANISATION_POLL_MS,
  );
  const rules = usePolledAsync(
    () => api.getRollups('rule'),
    [api],
    ORGANISATION_POLL_MS,
  );

  return (
    // The chart and the rule table each take a full row, because rule ids
    // stay on one line and a 1440 px screen has no room for them beside the
    // chart. The owner and group tables have seven columns each, so they
    // share a row only from the xl breakpoint (1920 px) up.
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent {...progress}>
          {value => <MigrationProgressChart progress={value} />}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <AsyncContent {...rules}>
          {value => <BlockingRulesTable rows={value} />}
        </AsyncContent>
      </Grid>
      <Grid item xs={12} xl={6}>
        <AsyncContent {...owners}>
          {value => <BreakdownTable by="owner" rows={value} />}
        </AsyncContent>
      </Grid>
      <Grid item xs={12} xl={6}>
        <AsyncContent {...groups}>
          {value => <BreakdownTable by="group" rows={value} />}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <ProjectTable />
      </Grid>
    </Grid>
  );
};

/** Page at /runner-fleet/migration: the migration of every project in the organisation. */
export const MigrationOverviewPage = () => (
  <Page themeId="tool">
    <Header
      title="Kubernetes migration"
      subtitle="Scorecards of all GitLab projects"
    />
    <Content>
      <ContentHeader title="Organisation">
        <Link to="..">Fleets</Link>
        <CsvExportButton />
      </ContentHeader>
      <MigrationOverviewContent />
    </Content>
  </Page>
);
