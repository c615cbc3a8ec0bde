import { Content, Header, Page } from '@backstage/core-components';

/** Fleet overview page; the fleet table and migration chart land next. */
export const FleetOverviewPage = () => (
  <Page themeId="tool">
    <Header title="Runner fleets" />
    <Content />
  </Page>
);
