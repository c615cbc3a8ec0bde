import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { RunnerFleetEntitiesProcessor } from './processor';

/**
 * Catalog module that validates runner fleets and hardware pools and emits
 * the relations between fleets, clusters, pools and components.
 *
 * @public
 */
export const catalogModuleRunnerFleet = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'runner-fleet',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ catalog }) {
        catalog.addProcessor(new RunnerFleetEntitiesProcessor());

        // Entity providers (src/providers) are registered here.
      },
    });
  },
});
