import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { defaultEngineConfig, resolveEngineConfig } from '@runner-fleet/ci';
import { runnerFleetPermissions } from '@runner-fleet/plugin-runner-fleet-common';
import { createGitLabClient } from '@runner-fleet/plugin-runner-fleet-node';
import { durationToMilliseconds } from '@backstage/types';
import { readRunnerFleetOptions } from './config';
import { FleetStore } from './database/FleetStore';
import { applyDatabaseMigrations } from './database/migrate';
import { ScorecardStore } from './database/ScorecardStore';
import { FleetService } from './fleet/FleetService';
import { createGitLabApi } from './lib/sharedClient';
import { createRouter } from './router/createRouter';
import { ScorecardEvaluator } from './scorecards/ScorecardEvaluator';
import { ScorecardService } from './scorecards/ScorecardService';

/** Seconds between worker runs on each replica. */
const WORKER_FREQUENCY = { seconds: 30 };

/**
 * The Runner Fleet backend plugin: samples fleet load, evaluates migration
 * scorecards and serves both under `/api/runner-fleet`.
 *
 * @public
 */
export const runnerFleetPlugin = createBackendPlugin({
  pluginId: 'runner-fleet',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        events,
      }) {
        const options = readRunnerFleetOptions(config);
        const engineConfig = config.has('runnerFleet.scorecards.engine')
          ? resolveEngineConfig(
              config.get('runnerFleet.scorecards.engine'),
              'runnerFleet.scorecards.engine',
            )
          : defaultEngineConfig();

        permissionsRegistry.addPermissions(runnerFleetPermissions);

        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        const fleetStore = new FleetStore(knex);
        const scorecardStore = new ScorecardStore(knex);

        const gitlab = createGitLabApi(
          createGitLabClient({
            config,
            host: config.getOptionalString('runnerFleet.gitlab.host'),
            logger,
          }),
        );
        const fleetService = new FleetService({
          gitlab,
          catalog,
          auth,
          store: fleetStore,
          options,
          logger,
        });
        const evaluator = new ScorecardEvaluator({
          gitlab,
          store: scorecardStore,
          options,
          engineConfig,
          logger,
        });
        const scorecardService = new ScorecardService({
          gitlab,
          catalog,
          auth,
          store: scorecardStore,
          evaluator,
          fleets: fleetService,
          options,
          logger,
        });

        // One replica at a time samples the fleets (global scope).
        await scheduler.scheduleTask({
          id: 'runner-fleet-sample-fleets',
          frequency: options.sampling.frequency,
          timeout: options.sampling.timeout,
          initialDelay: options.sampling.initialDelay,
          fn: async () => {
            const samples = await fleetService.sampleAll();
            logger.debug(`Stored ${samples.length} fleet samples`);
          },
        });

        // One replica at a time reads the project list and records progress.
        await scheduler.scheduleTask({
          id: 'runner-fleet-discover-projects',
          frequency: options.scorecards.frequency,
          timeout: options.scorecards.timeout,
          initialDelay: options.scorecards.initialDelay,
          fn: async () => {
            const nowMs = Date.now();
            const count = await scorecardService.discoverProjects(nowMs);
            await scorecardStore.recordProgress(new Date(nowMs).toISOString().slice(0, 10));
            await scorecardStore.pruneBlobs(nowMs - 30 * 86_400_000);
            // Projects gone from the catalog (and from GitLab's list) for a week are dropped.
            const removed = await scorecardStore.deleteUnseenProjects(nowMs - 7 * 86_400_000);
            if (removed > 0) {
              logger.info(`Removed ${removed} projects not seen for 7 days`);
            }
            logger.info(`Found ${count} catalog components with a GitLab project`);
          },
        });

        // Every replica runs the worker (local scope). Replicas share the
        // work through the claim columns of the projects table. Each run
        // claims batches of due projects with a lock that expires, so no two
        // replicas evaluate the same project at once. A crashed replica's
        // batch becomes due again when its lock runs out.
        await scheduler.scheduleTask({
          id: 'runner-fleet-evaluate-scorecards',
          scope: 'local',
          frequency: WORKER_FREQUENCY,
          timeout: options.scorecards.timeout,
          initialDelay: options.scorecards.initialDelay,
          fn: async () => {
            const stats = await scorecardService.runWorker({
              // Leave time to finish the last batch before the task times out.
              budgetMs: durationToMilliseconds(options.scorecards.timeout) / 2,
            });
            if (stats.evaluated + stats.failed > 0) {
              logger.info(
                `Evaluated ${stats.evaluated} projects (${stats.reanalyzed} re-analysed, ${stats.failed} failed, ${stats.contentFetches} file reads)`,
              );
              // Phases changed, so today's progress point must follow them
              // rather than wait for the next project discovery.
              await scorecardStore.recordProgress(
                new Date().toISOString().slice(0, 10),
              );
            }
          },
        });

        if (options.scorecards.pushEvents) {
          await events.subscribe({
            id: 'runner-fleet-scorecards',
            topics: ['gitlab.push'],
            onEvent: async event => {
              await scorecardService.onPush(event.eventPayload);
            },
          });
        }

        httpRouter.use(
          await createRouter({
            config,
            logger,
            httpAuth,
            permissions,
            options,
            fleetService,
            fleetStore,
            scorecardService,
            scorecardStore,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
