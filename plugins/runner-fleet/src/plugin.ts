import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { runnerFleetApiRef, RunnerFleetClient } from './api';
import { OwnedProjectPicker, RunnerPoolPicker } from './scaffolder';
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
      import('./components/RunnerFleetRouter').then(m => m.RunnerFleetRouter),
    mountPoint: legacyRootRouteRef,
  }),
);

/** "Load" tab content of a fleet entity. @public */
export const EntityFleetLoadContent = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityFleetLoadContent',
    component: {
      lazy: () =>
        import('./components/dashboards/FleetLoadContent').then(m => m.FleetLoadContent),
    },
  }),
);

/** Tab content of a cluster entity: the runners GitLab sees on it. @public */
export const EntityClusterRunnersContent = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityClusterRunnersContent',
    component: {
      lazy: () =>
        import('./components/dashboards/ClusterRunnersContent').then(
          m => m.ClusterRunnersContent,
        ),
    },
  }),
);

/** Tab content of a hardware pool entity: capacity, use and the fleets drawing on it. @public */
export const EntityHardwarePoolContent = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityHardwarePoolContent',
    component: {
      lazy: () =>
        import('./components/dashboards/HardwarePoolContent').then(
          m => m.HardwarePoolContent,
        ),
    },
  }),
);

/** Card with a project's migration score, level and phase. @public */
export const EntityMigrationScorecardCard = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityMigrationScorecardCard',
    component: {
      lazy: () =>
        import('./components/scorecards/EntityScorecardCard').then(
          m => m.EntityScorecardCard,
        ),
    },
  }),
);

/** "Kubernetes migration" tab content of a project. @public */
export const EntityMigrationContent = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityMigrationContent',
    component: {
      lazy: () =>
        import('./components/scorecards/EntityMigrationContent').then(
          m => m.EntityMigrationContent,
        ),
    },
  }),
);

/** Overview card of a runner fleet entity. @public */
export const EntityRunnerFleetOverviewCard = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityRunnerFleetOverviewCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.RunnerFleetOverviewCard),
    },
  }),
);

/** Overview card of a Kubernetes cluster entity: fleets served, upgrade roles and pools. @public */
export const EntityKubernetesClusterOverviewCard = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityKubernetesClusterOverviewCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.KubernetesClusterOverviewCard),
    },
  }),
);

/** Overview card of a hardware pool entity: nodes, capacity, accelerators and clusters. @public */
export const EntityHardwarePoolOverviewCard = runnerFleetPlugin.provide(
  createComponentExtension({
    name: 'EntityHardwarePoolOverviewCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.HardwarePoolOverviewCard),
    },
  }),
);

/** Scaffolder field `RunnerPoolPicker` for the legacy `ScaffolderFieldExtensions`. @public */
export const RunnerPoolPickerFieldExtension = runnerFleetPlugin.provide(
  createScaffolderFieldExtension({
    name: 'RunnerPoolPicker',
    component: RunnerPoolPicker,
  }),
);

/** Scaffolder field `OwnedProjectPicker` for the legacy `ScaffolderFieldExtensions`. @public */
export const OwnedProjectPickerFieldExtension = runnerFleetPlugin.provide(
  createScaffolderFieldExtension({
    name: 'OwnedProjectPicker',
    component: OwnedProjectPicker,
  }),
);
