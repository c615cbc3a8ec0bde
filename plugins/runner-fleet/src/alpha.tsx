import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import DirectionsRunIcon from '@material-ui/icons/DirectionsRun';
import { runnerFleetApiRef, RunnerFleetClient } from './api';
import {
  isGitLabProjectEntity,
  isHardwarePoolEntity,
  isKubernetesClusterEntity,
  isRunnerFleetEntity,
} from './components/entityPredicates';
import { rootRouteRef } from './routes';

const runnerFleetApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: runnerFleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new RunnerFleetClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Fleet overview at /runner-fleet and the organisation view at
 * /runner-fleet/migration. Its title and icon make the sidebar item.
 */
const runnerFleetPage = PageBlueprint.make({
  params: {
    path: '/runner-fleet',
    title: 'Runner fleets',
    icon: <DirectionsRunIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/RunnerFleetRouter').then(m => <m.RunnerFleetRouter />),
  },
});

const fleetLoadContent = EntityContentBlueprint.make({
  name: 'fleet-load',
  params: {
    path: '/load',
    title: 'Load',
    filter: isRunnerFleetEntity,
    loader: () =>
      import('./components/dashboards/FleetLoadContent').then(m => <m.FleetLoadContent />),
  },
});

const clusterRunnersContent = EntityContentBlueprint.make({
  name: 'cluster-runners',
  params: {
    path: '/gitlab-runners',
    title: 'GitLab runners',
    filter: isKubernetesClusterEntity,
    loader: () =>
      import('./components/dashboards/ClusterRunnersContent').then(m => (
        <m.ClusterRunnersContent />
      )),
  },
});

const hardwarePoolContent = EntityContentBlueprint.make({
  name: 'hardware-pool',
  params: {
    path: '/capacity',
    title: 'Capacity',
    filter: isHardwarePoolEntity,
    loader: () =>
      import('./components/dashboards/HardwarePoolContent').then(m => (
        <m.HardwarePoolContent />
      )),
  },
});

const migrationScorecardCard = EntityCardBlueprint.make({
  name: 'migration-scorecard',
  params: {
    filter: isGitLabProjectEntity,
    loader: () =>
      import('./components/scorecards/EntityScorecardCard').then(m => (
        <m.EntityScorecardCard />
      )),
  },
});

const migrationContent = EntityContentBlueprint.make({
  name: 'kubernetes-migration',
  params: {
    path: '/kubernetes-migration',
    title: 'Kubernetes migration',
    filter: isGitLabProjectEntity,
    loader: () =>
      import('./components/scorecards/EntityMigrationContent').then(m => (
        <m.EntityMigrationContent />
      )),
  },
});

const fleetOverviewCard = EntityCardBlueprint.make({
  name: 'fleet-overview',
  params: {
    filter: isRunnerFleetEntity,
    loader: () =>
      import('./components/entity').then(m => <m.RunnerFleetOverviewCard />),
  },
});

const clusterOverviewCard = EntityCardBlueprint.make({
  name: 'cluster-overview',
  params: {
    filter: isKubernetesClusterEntity,
    loader: () =>
      import('./components/entity').then(m => <m.KubernetesClusterOverviewCard />),
  },
});

const hardwarePoolOverviewCard = EntityCardBlueprint.make({
  name: 'hardware-pool-overview',
  params: {
    filter: isHardwarePoolEntity,
    loader: () =>
      import('./components/entity').then(m => <m.HardwarePoolOverviewCard />),
  },
});

/** Scaffolder field `RunnerPoolPicker`: a hardware pool with capacity and access policy. */
const runnerPoolPickerField = FormFieldBlueprint.make({
  name: 'runner-pool-picker',
  params: {
    field: () =>
      import('./scaffolder').then(m =>
        createFormField({ name: 'RunnerPoolPicker', component: m.RunnerPoolPicker }),
      ),
  },
});

/** Scaffolder field `OwnedProjectPicker`: a GitLab project or group the user owns. */
const ownedProjectPickerField = FormFieldBlueprint.make({
  name: 'owned-project-picker',
  params: {
    field: () =>
      import('./scaffolder').then(m =>
        createFormField({ name: 'OwnedProjectPicker', component: m.OwnedProjectPicker }),
      ),
  },
});

/**
 * Runner Fleet plugin for the new frontend system.
 *
 * Add new extensions to the `extensions` list below, one line each.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'runner-fleet',
  title: 'Runner fleets',
  icon: <DirectionsRunIcon />,
  routes: {
    root: rootRouteRef,
  },
  extensions: [
    runnerFleetApi,
    runnerFleetPage,
    fleetLoadContent,
    clusterRunnersContent,
    hardwarePoolContent,
    migrationScorecardCard,
    migrationContent,
    fleetOverviewCard,
    clusterOverviewCard,
    hardwarePoolOverviewCard,
    runnerPoolPickerField,
    ownedProjectPickerField,
  ],
});
