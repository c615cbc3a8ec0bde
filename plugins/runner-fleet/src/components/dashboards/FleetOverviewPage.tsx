import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { runnerFleetApiRef } from '../../api';
import { AsyncContent, usePolledAsync } from '../shared';
import { FleetTable } from './FleetTable';
import { MigrationJobsChart } from './MigrationJobsChart';
import { buildFleetSummaries, loadFleetEntities } from './relatedFleets';

/** Fleet table and migration chart, without the page frame. */
export const FleetOverviewContent = () => {
  const api = useApi(runnerFleetApiRef);
  const catalogApi = useApi(catalogApiRef);
  const fleets = usePolledAsync(async () => {
    const [entities, loads] = await Promise.all([
      loadFleetEntities(catalogApi),
      api.listFleetLoads(),
    ]);
    return buildFleetSummaries(entities, loads);
  }, [api, catalogApi]);
  const migration = usePolledAsync(() => api.getMigrationOverview(), [api]);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent {...fleets}>
          {value => <FleetTable fleets={value} />}
        </AsyncContent>
      </Grid>
      <Grid item xs={12}>
        <AsyncContent {...migration}>
          {value => (
            <MigrationJobsChart overview={value} />
          )}
        </AsyncContent>
      </Grid>
    </Grid>
  );
};

/** Page at /runner-fleet: every fleet with its load, and the migration at a glance. */
export const FleetOverviewPage = () => (
  <Page themeId="tool">
    <Header
      title="Runner fleets"
      subtitle="GitLab instance runners by fleet, refreshed every 15 seconds"
    />
    <Content>
      <ContentHeader title="Fleets">
        <Link to="migration">Migration scorecards of all projects</Link>
      </ContentHeader>
      <FleetOverviewContent />
    </Content>
  </Page>
);
