import type {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  RUNNER_FLEET_TYPE,
  type FleetLiveFacts,
} from '@runner-fleet/plugin-runner-fleet-common';
import {
  createGitLabClient,
  type GitLabClient,
  type GitLabTransportHooks,
} from '@runner-fleet/plugin-runner-fleet-node';
import {
  compilePattern,
  readRunnerFleetProviderConfigs,
  type RunnerFleetProviderConfig,
} from '../lib/config';
import { buildDiscoveredFleet } from '../lib/entities';
import { computeLiveFacts } from '../lib/liveFacts';
import type { LiveFactsStore } from '../lib/liveFactsStore';
import {
  groupRunners,
  type DeclaredFleet,
  type FleetRule,
} from '../lib/mapping';
import { readRunners, type RunnerReadFailure } from '../lib/readRunners';

/** Services and hooks of {@link RunnerFleetEntityProvider.fromConfig}. @public */
export interface RunnerFleetEntityProviderOptions {
  logger: LoggerService;
  scheduler: SchedulerService;
  /**
   * Reads fleets declared in the catalog, so their runners enrich them
   * instead of becoming discovered duplicates. Without it, every group of
   * runners becomes a discovered fleet.
   */
  catalog?: CatalogService;
  /** Supplies the credentials for `catalog`; required with it. */
  auth?: AuthService;
  /** Receives the live facts of declared fleets for the merging processor. */
  liveFacts?: LiveFactsStore;
  /** Replaces fetch, sleep and clock of the GitLab client, for tests and benchmarks. */
  gitlabHooks?: GitLabTransportHooks;
  /** Clock of the sync, for tests. */
  now?: () => Date;
}

/** Outcome of one {@link RunnerFleetEntityProvider.refresh}. @public */
export interface RunnerFleetSyncResult {
  /** `applied`: mutation sent; `skipped`: incomplete read, last good entities kept; `failed`: error before or while applying. */
  status: 'applied' | 'skipped' | 'failed';
  runners: number;
  declaredFleets: number;
  discoveredFleets: number;
  /** GitLab HTTP attempts of this run, retries included. */
  requests: number;
  retries: number;
  durationMs: number;
  /** Reason the run was skipped or failed. */
  reason?: string;
}

const MAX_IDS_IN_LOG = 10;

function describeFailures(failures: RunnerReadFailure[]): string {
  const ids = failures
    .slice(0, MAX_IDS_IN_LOG)
    .map(f => `${f.runnerId} (${f.step})`);
  const more =
    failures.length > MAX_IDS_IN_LOG
      ? ` and ${failures.length - MAX_IDS_IN_LOG} more`
      : '';
  return `${ids.join(', ')}${more}`;
}

/**
 * Discovers GitLab runner fleets. Each run reads every runner visible to
 * the token with its details and managers, groups runners into fleets by
 * the configured mapping, emits discovered fleets as one full mutation and
 * hands the live facts of declared fleets to the merging processor.
 *
 * A run that cannot read everything applies nothing, so a GitLab outage
 * never deletes the entities of the last complete sync.
 * @public
 */
export class RunnerFleetEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly logger: LoggerService;

  /**
   * Creates one provider per block below `catalog.providers.runnerFleet`.
   * Throws when a block or its `integrations.gitlab` entry is invalid, so the
   * backend fails at startup rather than at the first sync.
   */
  static fromConfig(
    config: Config,
    options: RunnerFleetEntityProviderOptions,
  ): RunnerFleetEntityProvider[] {
    if (options.catalog && !options.auth) {
      throw new Error(
        'RunnerFleetEntityProvider needs the auth service when it reads the catalog; pass auth with catalog',
      );
    }
    return readRunnerFleetProviderConfigs(config).map(providerConfig => {
      const logger = options.logger.child({
        target: `RunnerFleetEntityProvider:${providerConfig.id}`,
      });
      const client = createGitLabClient({
        config,
        host: providerConfig.host,
        logger,
        policy: providerConfig.requestPolicy,
        hooks: options.gitlabHooks,
      });
      const taskRunner = options.scheduler.createScheduledTaskRunner(
        providerConfig.schedule,
      );
      return new RunnerFleetEntityProvider(
        providerConfig,
        client,
        taskRunner,
        logger,
        options,
      );
    });
  }

  private constructor(
    private readonly config: RunnerFleetProviderConfig,
    private readonly client: GitLabClient,
    private readonly taskRunner: SchedulerServiceTaskRunner,
    logger: LoggerService,
    private readonly options: RunnerFleetEntityProviderOptions,
  ) {
    this.logger = logger;
  }

  getProviderName(): string {
    return `RunnerFleetEntityProvider:${this.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /**
   * Runs one sync. Never throws: a failed or incomplete run logs one error
   * line and returns a result with status `failed` or `skipped`.
   */
  async refresh(): Promise<RunnerFleetSyncResult> {
    const started = performance.now();
    const attemptsBefore = this.client.stats.attempts;
    const retriesBefore = this.client.stats.retries;
    const syncedAt = this.options.now?.() ?? new Date();
    const result: RunnerFleetSyncResult = {
      status: 'failed',
      runners: 0,
      declaredFleets: 0,
      discoveredFleets: 0,
      requests: 0,
      retries: 0,
      durationMs: 0,
    };
    const finish = () => {
      result.requests = this.client.stats.attempts - attemptsBefore;
      result.retries = this.client.stats.retries - retriesBefore;
      result.durationMs = Math.round(performance.now() - started);
      return result;
    };

    if (!this.connection) {
      result.reason = 'not connected';
      this.logger.error(
        'Runner fleet sync skipped: the provider is not connected to the catalog yet',
      );
      return finish();
    }

    try {
      const declared = await this.readDeclaredFleets();
      const read = await readRunners(this.client, {
        runnerTypes: this.config.runnerTypes,
        logger: this.logger,
      });
      result.runners = read.runners.length;

      if (read.failures.length > 0) {
        result.status = 'skipped';
        result.reason = `could not read ${
          read.failures.length
        } runners: ${describeFailures(read.failures)}`;
        this.logger.error(
          `Runner fleet sync incomplete, keeping the entities of the last complete sync: ${result.reason}`,
          read.failures[0].error,
        );
        return finish();
      }
      if (read.withoutManagers.length > 0) {
        this.logger.warn(
          `GitLab returned no managers for ${
            read.withoutManagers.length
          } runners, so their version and architecture are unknown: ${read.withoutManagers
            .slice(0, MAX_IDS_IN_LOG)
            .join(', ')}`,
        );
      }

      const grouping = groupRunners(read.runners, {
        rules: [...declared.rules, ...this.config.rules],
        declaredFleets: declared.fleets,
        namingPattern: this.config.namingPattern,
        unmatched: this.config.unmatched,
        namespace: this.config.namespace,
      });

      const declaredFacts = new Map<string, FleetLiveFacts>();
      for (const fleet of declared.fleets) {
        declaredFacts.set(fleet.ref, computeLiveFacts([], syncedAt));
      }
      const discovered: Entity[] = [];
      for (const group of grouping.groups) {
        const facts = computeLiveFacts(group.runners, syncedAt);
        if (group.declared) {
          declaredFacts.set(group.fleetRef, facts);
          continue;
        }
        discovered.push(
          buildDiscoveredFleet({
            group,
            facts,
            providerName: this.getProviderName(),
            owner: this.config.owner,
            namePrefix: this.config.discoveredNamePrefix,
            defaultExecutor: this.config.defaultExecutor,
            gitlabBaseUrl: this.client.baseUrl,
          }),
        );
      }

      await this.connection.applyMutation({
        type: 'full',
        entities: discovered.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
      });
      await this.options.liveFacts?.write(
        this.getProviderName(),
        declaredFacts,
      );

      result.status = 'applied';
      result.declaredFleets = declared.fleets.length;
      result.discoveredFleets = discovered.length;
      finish();
      this.logger.info(
        `Read ${read.listed} runners from ${this.client.host}: ${read.runners.length} in ${grouping.groups.length} fleets, ${declared.fleets.length} declared fleets enriched, ${discovered.length} discovered fleets emitted, ${grouping.ignored.length} runners ignored; ${result.requests} requests, ${result.retries} retries, ${result.durationMs} ms`,
      );
      return result;
    } catch (error) {
      result.status = 'failed';
      result.reason = (error as Error).message;
      this.logger.error(
        `Runner fleet sync failed, keeping the entities of the last complete sync: ${result.reason}`,
        error as Error,
      );
      return finish();
    }
  }

  /**
   * Reads declared fleets from the catalog and turns their `spec.discovery`
   * hints into rules. An invalid pattern in one fleet is logged and skipped,
   * because it belongs to the fleet's owner, not to this provider's config.
   */
  private async readDeclaredFleets(): Promise<{
    fleets: DeclaredFleet[];
    rules: FleetRule[];
  }> {
    const { catalog, auth } = this.options;
    if (!catalog || !auth) {
      return { fleets: [], rules: [] };
    }
    const response = await catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': RUNNER_FLEET_TYPE },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.tags',
          'spec.discovery',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );

    // Sorted by reference so that rule order, and with it the grouping,
    // does not depend on the order the catalog returns.
    const declared = response.items
      .filter(e => e.metadata.annotations?.[ANNOTATIONS.discovered] !== 'true')
      .map(entity => ({
        entity,
        ref: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
      }))
      .sort((a, b) => a.ref.localeCompare(b.ref));

    const fleets: DeclaredFleet[] = [];
    const rules: FleetRule[] = [];
    for (const { entity, ref } of declared) {
      const spec = (entity.spec ?? {}) as {
        tags?: unknown;
        discovery?: {
          descriptionPattern?: unknown;
          tags?: unknown;
          systemIds?: unknown;
        };
      };
      const tags = Array.isArray(spec.tags)
        ? spec.tags.filter((t): t is string => typeof t === 'string')
        : [];
      fleets.push({ ref, tags });

      const hints = spec.discovery;
      if (!hints) {
        continue;
      }
      let descriptionPattern: RegExp | undefined;
      if (typeof hints.descriptionPattern === 'string') {
        try {
          descriptionPattern = compilePattern(
            hints.descriptionPattern,
            `spec.discovery.descriptionPattern of ${ref}`,
          );
        } catch (error) {
          this.logger.warn(
            `Ignoring a discovery hint: ${(error as Error).message}`,
          );
        }
      }
      const hintTags = Array.isArray(hints.tags)
        ? hints.tags.filter((t): t is string => typeof t === 'string')
        : undefined;
      const systemIds = Array.isArray(hints.systemIds)
        ? hints.systemIds.filter((t): t is string => typeof t === 'string')
        : undefined;
      if (descriptionPattern || hintTags?.length || systemIds?.length) {
        rules.push({
          fleetRef: ref,
          descriptionPattern,
          tags: hintTags,
          systemIds,
          source: ref,
        });
      }
    }
    return { fleets, rules };
  }
}
