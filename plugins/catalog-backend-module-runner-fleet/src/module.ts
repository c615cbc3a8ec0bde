import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { RunnerFleetEntitiesProcessor } from './processor';
import {
  CacheLiveFactsStore,
  RunnerFleetEntityProvider,
  RunnerFleetLiveFactsProcessor,
} from './providers';

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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        cache: coreServices.cache,
        auth: coreServices.auth,
        catalogService: catalogServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        cache,
        auth,
        catalogService,
      }) {
        catalog.addProcessor(new RunnerFleetEntitiesProcessor());

        // Discovery: the provider syncs runners from GitLab; the processor
        // merges the live facts it stores into declared fleets.
        const liveFacts = new CacheLiveFactsStore(cache);
        catalog.addProcessor(
          new RunnerFleetLiveFactsProcessor({ store: liveFacts, logger }),
        );
        catalog.addEntityProvider(
          RunnerFleetEntityProvider.fromConfig(config, {
            logger,
            scheduler,
            catalog: catalogService,
            auth,
            liveFacts,
          }),
        );
      },
    });
  },
});
