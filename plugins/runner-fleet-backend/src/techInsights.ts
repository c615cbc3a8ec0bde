import { createBackendModule } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  techInsightsFactRetrieversExtensionPoint,
  type FactRetriever,
  type TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import type {
  ProjectSummary,
  ProjectsPage,
} from '@runner-fleet/plugin-runner-fleet-common';

/** Id of the fact retriever, also its key under `techInsights.factRetrievers` in config. */
export const RUNNER_FLEET_FACT_RETRIEVER_ID = 'runnerFleetMigrationFactRetriever';

const PAGE_SIZE = 500;

/**
 * Creates the tech-insights fact retriever for migration scorecards. It
 * reads `GET /api/runner-fleet/projects` with a service token, so it needs
 * the `runner-fleet.scorecard.read` permission. An entity with several
 * GitLab projects gets the facts of its lowest-scoring project.
 *
 * @public
 */
export function createRunnerFleetMigrationFactRetriever(): FactRetriever {
  return {
    id: RUNNER_FLEET_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Runner Fleet migration scorecard',
    description:
      'Score, readiness level, migration phase and unwaived blocker count of the GitLab project behind each component',
    entityFilter: [{ kind: 'component' }],
    schema: {
      score: { type: 'integer', description: 'Migration score, 0 to 100' },
      level: { type: 'string', description: 'blocked, needs-changes or ready' },
      phase: { type: 'string', description: 'legacy, opted-in, on-kubernetes or migrated' },
      blockerCount: { type: 'integer', description: 'Unwaived blocker findings' },
    },
    async handler(ctx) {
      const baseUrl = await ctx.discovery.getBaseUrl('runner-fleet');
      const { token } = await ctx.auth.getPluginRequestToken({
        onBehalfOf: await ctx.auth.getOwnServiceCredentials(),
        targetPluginId: 'runner-fleet',
      });
      const worst = new Map<string, ProjectSummary>();
      for (let page = 1; ; page++) {
        const url = `${baseUrl}/projects?filter=${encodeURIComponent('hasEntity:true,evaluated:true')}&pageSize=${PAGE_SIZE}&page=${page}`;
        const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
        if (!response.ok) {
          throw await ResponseError.fromResponse(response);
        }
        const body = (await response.json()) as ProjectsPage;
        for (const project of body.items) {
          if (!project.entityRef || project.score === undefined) continue;
          const current = worst.get(project.entityRef);
          if (!current || (current.score ?? 101) > project.score) {
            worst.set(project.entityRef, project);
          }
        }
        if (page * PAGE_SIZE >= body.totalCount || body.items.length === 0) break;
      }

      const facts: TechInsightFact[] = [];
      for (const [entityRef, project] of worst) {
        const ref = parseEntityRef(entityRef);
        facts.push({
          entity: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
          facts: {
            score: project.score!,
            level: project.level ?? 'ready',
            phase: project.phase ?? 'legacy',
            blockerCount: project.blockers,
          },
        });
      }
      ctx.logger.info(`Retrieved migration facts for ${facts.length} entities`);
      return facts;
    },
  };
}

/** The fact retriever with its defaults. @public */
export const runnerFleetMigrationFactRetriever =
  createRunnerFleetMigrationFactRetriever();

/**
 * Tech-insights backend module that registers
 * {@link runnerFleetMigrationFactRetriever}. Its schedule comes from
 * `techInsights.factRetrievers.runnerFleetMigrationFactRetriever`.
 *
 * @public
 */
export const techInsightsModuleRunnerFleet = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'runner-fleet',
  register(env) {
    env.registerInit({
      deps: { retrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ retrievers }) {
        retrievers.addFactRetrievers({
          [RUNNER_FLEET_FACT_RETRIEVER_ID]: runnerFleetMigrationFactRetriever,
        });
      },
    });
  },
});
