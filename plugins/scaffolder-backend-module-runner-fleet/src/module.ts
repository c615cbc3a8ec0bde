import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createConfigRenderAction } from './actions/configRender';
import { createFleetAddClusterAction } from './actions/fleetAddCluster';
import { createFleetLendAction } from './actions/fleetLend';
import { createMigrationApplyAction } from './actions/migrationApply';
import { createProjectLocateAction } from './actions/projectLocate';
import { createRequestCreateAction } from './actions/requestCreate';
import { createRunnerCreateAction } from './actions/runnerCreate';

/**
 * Scaffolder module that registers the runner-fleet actions.
 * @public
 */
export const scaffolderModuleRunnerFleet = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'runner-fleet',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
      },
      async init({ scaffolder, catalog, config, permissions }) {
        const integrations = ScmIntegrations.fromConfig(config);
        const options = { catalog, integrations, permissions };
        scaffolder.addActions(
          createConfigRenderAction(options),
          createRunnerCreateAction(options),
          createRequestCreateAction(options),
          createMigrationApplyAction(),
          createProjectLocateAction(options),
          createFleetLendAction(options),
          createFleetAddClusterAction(options),
        );
      },
    });
  },
});
