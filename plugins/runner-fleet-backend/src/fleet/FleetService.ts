import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { clusterRefOfRunner } from './clusters';
import type { FleetRunner } from '@runner-fleet/plugin-runner-fleet-common';
import { durationToMilliseconds } from '@backstage/types';
import type { RunnerFleetOptions } from '../config';
import { FleetStore, NewFleetSample } from '../database/FleetStore';
import type { GitLabApi, GitLabJob, GitLabRunner } from '../lib/gitlab';
import {
  Fleet,
  FleetResolver,
  assignRunnersByTags,
  loadFleets,
} from './fleets';
import {
  backfillFleet,
  sampleFleetFromGitLab,
  sampleFleetFromPrometheus,
} from './sampling';

const FLEET_CACHE_MS = 60_000;

/** Compares dotted version strings such as `17.4.1`; a `v` prefix and suffixes like `~beta` are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v.replace(/^v/, '').split(/[~+-]/)[0].split('.').map(n => Number(n) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function minorOf(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}

/** Reads fleets from the catalog, samples their load and lists their runners. */
export class FleetService {
  private fleetCache?: { atMs: number; fleets: Fleet[] };

  constructor(
    private readonly deps: {
      gitlab: GitLabApi;
      catalog: CatalogService;
      auth: AuthService;
      store: FleetStore;
      options: RunnerFleetOptions;
      logger: LoggerService;
    },
  ) {}

  /** Returns the catalog's fleets with runner ids, using the tag mapping where discovery has not set them. */
  async getFleets(nowMs = Date.now()): Promise<Fleet[]> {
    if (this.fleetCache && nowMs - this.fleetCache.atMs < FLEET_CACHE_MS) {
      return this.fleetCache.fleets;
    }
    let fleets = await loadFleets(this.deps.catalog, this.deps.auth);
    if (fleets.some(f => !f.runnerIdsFromDiscovery && f.tags.length > 0)) {
      try {
        const runnersByFleet = new Map<string, number[]>();
        for (const fleet of fleets.filter(f => f.tags.length > 0)) {
          const runners = await this.deps.gitlab.listAllRunners({ tagList: fleet.tags });
          runnersByFleet.set(fleet.ref, runners.map(runner => runner.id));
        }
        fleets = assignRunnersByTags(fleets, runnersByFleet);
      } catch (error) {
        this.deps.logger.warn(
          `Could not list GitLab runners for the tag mapping of fleets without spec.live.runnerIds: ${error}`,
        );
      }
    }
    this.fleetCache = { atMs: nowMs, fleets };
    return fleets;
  }

  async getFleet(fleetRef: string): Promise<Fleet> {
    const fleet = (await this.getFleets()).find(f => f.ref === fleetRef);
    if (!fleet) {
      throw new NotFoundError(
        `No runner fleet ${fleetRef} in the catalog; check the namespace and name, or list fleets with GET /fleets`,
      );
    }
    return fleet;
  }

  /**
   * Takes one sample of every fleet and prunes samples past the retention.
   * On the first run for a fleet it backfills the last hours first.
   */
  async sampleAll(nowMs = Date.now()): Promise<NewFleetSample[]> {
    const { options, store, logger, gitlab } = this.deps;
    const fleets = await this.getFleets(nowMs);
    const resolver = new FleetResolver(fleets);
    // A cron schedule has no fixed period; one minute is the usual cron step.
    const frequencyMs =
      'cron' in options.sampling.frequency
        ? 60_000
        : durationToMilliseconds(options.sampling.frequency);

    const backfilled = await store.backfilledFleets();
    for (const fleet of fleets) {
      if (backfilled.has(fleet.ref) || fleet.runnerIds.length === 0) continue;
      try {
        const history = await backfillFleet(gitlab, fleet, {
          nowMs: nowMs - 1,
          hours: options.sampling.backfillHours,
          resolutionSeconds: options.sampling.backfillResolutionSeconds,
        });
        await store.insertSamples(history);
        await store.markBackfilled(fleet.ref, nowMs);
        logger.info(`Backfilled ${history.length} samples for fleet ${fleet.ref}`);
      } catch (error) {
        logger.warn(`Backfill of fleet ${fleet.ref} failed; retrying on the next run: ${error}`);
      }
    }

    let pendingJobs: GitLabJob[] | undefined;
    try {
      pendingJobs = await gitlab.listPendingJobs({ limit: 5000 });
    } catch (error) {
      logger.warn(`Listing pending jobs failed; pending counts are 0 in this sample: ${error}`);
    }

    const samples: NewFleetSample[] = [];
    for (const fleet of fleets) {
      const lastMs = await store.latestSampleTime(fleet.ref);
      const window = {
        nowMs,
        sinceMs: Math.max(lastMs ?? nowMs - frequencyMs, nowMs - options.sampling.windowMs),
        windowMs: options.sampling.windowMs,
        resolutionSeconds: Math.round(frequencyMs / 1000),
      };
      try {
        let sample: NewFleetSample | undefined;
        if (options.prometheus) {
          const pending = (pendingJobs ?? []).filter(
            job => resolver.fleetOfJob(job)?.ref === fleet.ref,
          ).length;
          try {
            sample = await sampleFleetFromPrometheus(options.prometheus, fleet, window, pending);
          } catch (error) {
            logger.warn(`Prometheus sampling of fleet ${fleet.ref} failed; using GitLab instead: ${error}`);
          }
        }
        sample ??= await sampleFleetFromGitLab(gitlab, fleet, window, pendingJobs, resolver);
        samples.push(sample);
      } catch (error) {
        logger.error(`Sampling fleet ${fleet.ref} failed: ${error}`);
      }
    }
    await store.insertSamples(samples);

    const pruned = await store.pruneBefore(nowMs - options.sampling.retentionMs);
    if (pruned > 0) {
      logger.info(`Pruned ${pruned} fleet samples older than the retention`);
    }
    return samples;
  }

  /** Lists a fleet's runners with version, architecture and stale and outdated flags. */
  async listRunners(fleetRef: string, nowMs = Date.now()): Promise<FleetRunner[]> {
    const fleet = await this.getFleet(fleetRef);
    const { gitlab, options } = this.deps;
    const runners: FleetRunner[] = [];
    const queue = [...fleet.runnerIds];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        let runner: GitLabRunner;
        try {
          runner = await gitlab.getRunner(id);
        } catch (error) {
          if (error instanceof NotFoundError) continue;
          throw error;
        }
        const managers = await gitlab.listRunnerManagers(id);
        const versions = managers
          .map(m => m.version)
          .filter((v): v is string => !!v)
          .sort((a, b) => compareVersions(b, a));
        const contacts = [runner.contacted_at, ...managers.map(m => m.contacted_at)]
          .filter((v): v is string => !!v)
          .sort()
          .reverse();
        const contactedAt = contacts[0];
        const stale =
          runner.status === 'stale' ||
          !contactedAt ||
          nowMs - Date.parse(contactedAt) > options.runners.staleAfterMs;
        runners.push({
          id: runner.id,
          description: runner.description,
          status: runner.status,
          paused: runner.paused === true,
          runnerType: runner.runner_type,
          tags: runner.tag_list ?? [],
          version: versions[0] ?? runner.version ?? undefined,
          architecture: managers.find(m => m.architecture)?.architecture ?? runner.architecture ?? undefined,
          platform: managers.find(m => m.platform)?.platform ?? runner.platform ?? undefined,
          contactedAt,
          managers: managers.length,
          cluster: clusterRefOfRunner(fleet, runner.description),
          stale,
          outdated: false,
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const newest = runners
      .map(r => r.version)
      .filter((v): v is string => !!v)
      .sort((a, b) => compareVersions(b, a))[0];
    for (const runner of runners) {
      if (!runner.version) continue;
      runner.outdated = options.runners.minimumVersion
        ? compareVersions(runner.version, options.runners.minimumVersion) < 0
        : newest !== undefined && compareVersions(minorOf(runner.version), minorOf(newest)) < 0;
    }
    return runners.sort((a, b) => a.id - b.id);
  }
}
