import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { runnerFleetApiRef, RunnerFleetClient } from './api';
import { legacyRootRouteRef } from './routes';

/**
 * Runner Fleet plugin for apps on the legacy frontend system. Apps on the new
 * frontend system use the default export of `@runner-fleet/plugin-runner-fleet/alpha`.
 * @public
 */
export const runnerFleetPlugin = createPlugin({
  id: 'runner-fleet',
  apis: [
    createApiFactory({
      api: runnerFleetApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new RunnerFleetClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: legacyRootRouteRef,
  },
});

// Each extension below is one self-contained statement, so engineers who add
// components to this package append theirs without touching the others.

/** Fleet overview page with the migration at a glance. @public */
export const RunnerFleetPage = runnerFleetPlugin.provide(
  createRoutableExtension({
    name: 'RunnerFleetPage',
    component: () =>
      import('./components/dashboards/FleetOverviewPage').then(
        m => m.FleetOverviewPage,
      ),
    mountPoint: legacyRootRouteRef,
  }),
);
