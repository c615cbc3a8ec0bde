import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import DirectionsRunIcon from '@material-ui/icons/DirectionsRun';
import { runnerFleetApiRef, RunnerFleetClient } from './api';
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

/** Fleet overview at /runner-fleet; its title and icon make the sidebar item. */
const fleetOverviewPage = PageBlueprint.make({
  params: {
    path: '/runner-fleet',
    title: 'Runner fleets',
    icon: <DirectionsRunIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/dashboards/FleetOverviewPage').then(m => (
        <m.FleetOverviewPage />
      )),
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
    fleetOverviewPage,
  ],
});
