import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { RunnerFleetOptions } from '../config';
import type {
  DiscoveredProject,
  ProjectRow,
  ScorecardStore,
} from '../database/ScorecardStore';
import { toProjectScorecard } from '../database/ScorecardStore';
import { FleetResolver } from '../fleet/fleets';
import type { FleetService } from '../fleet/FleetService';
import type { GitLabApi } from '../lib/gitlab';
import type { EvaluationOutcome, ScorecardEvaluator } from './ScorecardEvaluator';
import type { SharedHeadCache } from './GitLabIncludeReader';

export const PROJECT_SLUG_ANNOTATION = 'gitlab.com/project-slug';
export const PROJECT_ID_ANNOTATION = 'gitlab.com/project-id';

/** Totals of one worker run, for logs and the benchmark. */
export interface WorkerRunStats {
  evaluated: number;
  reanalyzed: number;
  failed: number;
  contentFetches: number;
  headRequests: number;
}

function ownerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner.length === 0) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: entity.metadata.namespace ?? 'default' }));
  } catch {
    return undefined;
  }
}

/**
 * Keeps the project list in step with the catalog (and optionally with all
 * projects GitLab shows the token) and evaluates due projects in batches.
 */
export class ScorecardService {
  /** Identifies this replica in the `claimed_by` column. */
  readonly workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly deps: {
      gitlab: GitLabApi;
      catalog: CatalogService;
      auth: AuthService;
      store: ScorecardStore;
      evaluator: ScorecardEvaluator;
      fleets: Pick<FleetService, 'getFleets'>;
      options: RunnerFleetOptions;
      logger: LoggerService;
    },
  ) {}

  /** Reads components with a GitLab project annotation, and every visible project when configured. */
  async discoverProjects(nowMs = Date.now()): Promise<number> {
    const { catalog, auth, store, gitlab, options, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const projects: DiscoveredProject[] = [];
    for await (const page of catalog.streamEntities(
      {
        filter: [
          { [`metadata.annotations.${PROJECT_SLUG_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
          { [`metadata.annotations.${PROJECT_ID_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
        ],
        fields: ['kind', 'metadata', 'spec.owner'],
      },
      { credentials },
    )) {
      for (const entity of page) {
        const annotations = entity.metadata.annotations ?? {};
        const slug = annotations[PROJECT_SLUG_ANNOTATION];
        const idText = annotations[PROJECT_ID_ANNOTATION];
        const gitlabId = idText && /^\d+$/.test(idText) ? Number(idText) : undefined;
        let projectPath: string | undefined = slug?.replace(/^\/+|\/+$/g, '');
        if (!projectPath && gitlabId !== undefined) {
          projectPath = (await store.findProject(gitlabId))?.project_path;
          if (!projectPath) {
            try {
              projectPath = (await gitlab.getProject(gitlabId)).path_with_namespace;
            } catch (error) {
              logger.warn(
                `Component ${stringifyEntityRef(entity)} names GitLab project id ${gitlabId}, which could not be read: ${error}`,
              );
              continue;
            }
          }
        }
        if (!projectPath) continue;
        projects.push({
          projectPath,
          gitlabId,
          entityRef: stringifyEntityRef(entity),
          ownerRef: ownerOf(entity),
        });
      }
    }

    if (options.scorecards.includeAllProjects) {
      // A project that is no catalog component belongs to the catalog group
      // named like its top-level GitLab namespace, when there is one, so the
      // rollups by owner cover the whole instance.
      const groupNames = new Set<string>();
      for await (const page of catalog.streamEntities(
        { filter: { kind: 'Group' }, fields: ['metadata.name', 'metadata.namespace'] },
        { credentials },
      )) {
        for (const group of page) {
          if ((group.metadata.namespace ?? 'default') === 'default') {
            groupNames.add(group.metadata.name);
          }
        }
      }
      const groupOwnerOf = (projectPath: string) => {
        const namespace = projectPath.split('/')[0];
        return groupNames.has(namespace) ? `group:default/${namespace}` : undefined;
      };
      for await (const page of gitlab.listProjects()) {
        await store.upsertProjects(
          page
            .filter(project => !project.archived)
            .map(project => ({
              projectPath: project.path_with_namespace,
              gitlabId: project.id,
              ownerRef: groupOwnerOf(project.path_with_namespace),
              webUrl: project.web_url,
              defaultBranch: project.default_branch ?? undefined,
              ciConfigPath: project.ci_config_path ?? '',
            })),
          nowMs,
        );
      }
    }
    // Catalog projects last, so their entity and owner win over the GitLab listing.
    await store.upsertProjects(projects, nowMs);
    return projects.length;
  }

  private async resolver(): Promise<FleetResolver> {
    try {
      return new FleetResolver(await this.deps.fleets.getFleets());
    } catch (error) {
      this.deps.logger.warn(`Reading fleets for job evidence failed; evidence maps no jobs to fleets: ${error}`);
      return new FleetResolver([]);
    }
  }

  private async evaluateAndStore(
    project: ProjectRow,
    context: { nowMs: number; sharedHeads: SharedHeadCache; resolver: FleetResolver; force?: boolean },
  ): Promise<EvaluationOutcome> {
    const { store, evaluator, options } = this.deps;
    const outcome = await evaluator.evaluate(project, context);
    await store.saveEvaluation(project, {
      scorecard: outcome.scorecard,
      fingerprint: outcome.fingerprint,
      evidenceAtMs: outcome.evidenceAtMs,
      reanalyzed: outcome.reanalyzed,
      nextDueMs: context.nowMs + options.scorecards.reevaluateAfterMs,
    });
    return outcome;
  }

  /**
   * Claims and evaluates batches of due projects until none is left or the
   * time budget runs out. Every replica runs this; the claim in the
   * database keeps two replicas off the same project.
   */
  async runWorker(options: { budgetMs: number; now?: () => number }): Promise<WorkerRunStats> {
    const now = options.now ?? Date.now;
    const started = now();
    const stats: WorkerRunStats = { evaluated: 0, reanalyzed: 0, failed: 0, contentFetches: 0, headRequests: 0 };
    const sharedHeads: SharedHeadCache = new Map();
    const resolver = await this.resolver();
    const { store, logger } = this.deps;
    const { batchSize, concurrency, lockMs } = this.deps.options.scorecards;

    while (now() - started < options.budgetMs) {
      const nowMs = now();
      const { projects } = await store.claimDueProjects({
        workerId: this.workerId,
        nowMs,
        lockMs,
        size: batchSize,
      });
      if (projects.length === 0) break;

      let next = 0;
      const work = async () => {
        while (next < projects.length) {
          const project = projects[next++];
          try {
            const outcome = await this.evaluateAndStore(project, { nowMs, sharedHeads, resolver });
            stats.evaluated += 1;
            if (outcome.reanalyzed) stats.reanalyzed += 1;
            stats.contentFetches += outcome.stats.contentFetches;
            stats.headRequests += outcome.stats.headRequests;
          } catch (error) {
            stats.failed += 1;
            const message = error instanceof Error ? error.message : String(error);
            logger.warn(`Evaluating project ${project.project_path} failed; retrying after the lock expires: ${message}`);
            await store.saveFailure(project.id, message, nowMs + lockMs);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, projects.length) }, work));
    }
    return stats;
  }

  /**
   * Evaluates one project now. A project that GitLab has but the database
   * lacks is added first. Unchanged CI files keep the stored findings unless
   * `force` is set.
   */
  async refresh(projectRef: string, force = false): Promise<{ outcome: EvaluationOutcome; project: ProjectRow }> {
    const { store, gitlab } = this.deps;
    const nowMs = Date.now();
    let project = await store.findProject(projectRef);
    if (!project) {
      let details;
      try {
        details = await gitlab.getProject(/^\d+$/.test(projectRef) ? Number(projectRef) : projectRef);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(
            `GitLab project ${projectRef} was not found; pass a project path such as physics/detector-sim or a numeric project id the token can read`,
          );
        }
        throw error;
      }
      await store.upsertProjects(
        [{
          projectPath: details.path_with_namespace,
          gitlabId: details.id,
          webUrl: details.web_url,
          defaultBranch: details.default_branch ?? undefined,
          ciConfigPath: details.ci_config_path ?? '',
        }],
        nowMs,
      );
      project = (await store.findProject(details.path_with_namespace))!;
    }
    const outcome = await this.evaluateAndStore(project, {
      nowMs,
      sharedHeads: new Map(),
      resolver: await this.resolver(),
      force,
    });
    return { outcome, project: (await store.findProject(project.project_path))! };
  }

  /**
   * Handles a GitLab push webhook payload: a push to the project's default
   * branch makes the project due, so the next worker run on any replica
   * re-checks it.
   */
  async onPush(payload: unknown): Promise<boolean> {
    const body = payload as {
      ref?: string;
      project_id?: number;
      project?: { id?: number; path_with_namespace?: string; default_branch?: string };
    };
    const id = body.project?.id ?? body.project_id;
    const path = body.project?.path_with_namespace;
    const project =
      (id !== undefined ? await this.deps.store.findProject(id) : undefined) ??
      (path ? await this.deps.store.findProject(path) : undefined);
    if (!project) return false;
    const branch = project.default_branch ?? body.project?.default_branch;
    if (branch && body.ref && body.ref !== `refs/heads/${branch}`) return false;
    await this.deps.store.markDue(project.id, Date.now());
    return true;
  }

  /** Returns the stored scorecard of a project, or throws NotFoundError naming the fix. */
  async getScorecard(projectRef: string) {
    const project = await this.deps.store.findProject(projectRef);
    const scorecard = project && toProjectScorecard(project);
    if (!project || !scorecard) {
      throw new NotFoundError(
        project
          ? `Project ${projectRef} has not been evaluated yet; POST /scorecards/${encodeURIComponent(projectRef)}/refresh evaluates it now`
          : `No scorecard for project ${projectRef}; pass a GitLab project path (URL-encoded) or id, or POST /scorecards/${encodeURIComponent(projectRef)}/refresh to evaluate it`,
      );
    }
    return { project, scorecard };
  }
}
