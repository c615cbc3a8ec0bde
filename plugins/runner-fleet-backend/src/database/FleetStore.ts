import { Knex } from 'knex';
import type {
  FleetClusterLoad,
  FleetLoadResponse,
  FleetSampleRow,
} from '@runner-fleet/plugin-runner-fleet-common';
import { toNumber } from './migrate';

/** A sample to store; `source` is `backfill` for derived history. */
export interface NewFleetSample {
  fleetRef: string;
  sampledAtMs: number;
  resolutionSeconds: number;
  runningJobs: number;
  pendingJobs: number;
  jobsStarted: number;
  jobsStartedPerMinute: number;
  queueWaitSeconds: { p50: number; p90: number; p99: number };
  failuresByReason: Record<string, number>;
  /** Jobs per cluster; only GitLab samples have them, because they see each job's runner. */
  clusters?: FleetClusterLoad[];
  source: 'gitlab' | 'prometheus' | 'backfill';
}

interface SampleDbRow {
  fleet_ref: string;
  sampled_at_ms: string | number;
  resolution_seconds: number;
  running_jobs: number;
  pending_jobs: number;
  jobs_started: number;
  jobs_started_per_minute: number;
  queue_p50_seconds: number;
  queue_p90_seconds: number;
  queue_p99_seconds: number;
  failures_json: string;
  /** Null for samples without jobs per cluster, and for rows stored before the column existed. */
  clusters_json?: string | null;
  source: string;
}

function toRow(sample: NewFleetSample): SampleDbRow {
  return {
    fleet_ref: sample.fleetRef,
    sampled_at_ms: sample.sampledAtMs,
    resolution_seconds: sample.resolutionSeconds,
    running_jobs: sample.runningJobs,
    pending_jobs: sample.pendingJobs,
    jobs_started: sample.jobsStarted,
    jobs_started_per_minute: sample.jobsStartedPerMinute,
    queue_p50_seconds: sample.queueWaitSeconds.p50,
    queue_p90_seconds: sample.queueWaitSeconds.p90,
    queue_p99_seconds: sample.queueWaitSeconds.p99,
    failures_json: JSON.stringify(sample.failuresByReason),
    clusters_json: sample.clusters ? JSON.stringify(sample.clusters) : null,
    source: sample.source,
  };
}

function toSample(row: SampleDbRow): FleetSampleRow {
  return {
    sampledAt: new Date(toNumber(row.sampled_at_ms)).toISOString(),
    resolutionSeconds: row.resolution_seconds,
    runningJobs: row.running_jobs,
    pendingJobs: row.pending_jobs,
    jobsStarted: row.jobs_started,
    jobsStartedPerMinute: Number(row.jobs_started_per_minute),
    queueWaitSeconds: {
      p50: Number(row.queue_p50_seconds),
      p90: Number(row.queue_p90_seconds),
      p99: Number(row.queue_p99_seconds),
    },
    source: row.source as FleetSampleRow['source'],
  };
}

function toLoad(row: SampleDbRow): FleetLoadResponse {
  const sample = toSample(row);
  return {
    fleetRef: row.fleet_ref,
    runningJobs: sample.runningJobs,
    pendingJobs: sample.pendingJobs,
    jobsStartedPerMinute: sample.jobsStartedPerMinute,
    queueWaitSeconds: sample.queueWaitSeconds,
    failuresByReason: JSON.parse(row.failures_json),
    // Backfilled rows come from GitLab job times, so the API reports them as such.
    source: row.source === 'prometheus' ? 'prometheus' : 'gitlab',
    sampledAt: sample.sampledAt,
    clusters: row.clusters_json ? (JSON.parse(row.clusters_json) as FleetClusterLoad[]) : [],
  };
}

/** Stores and queries the fleet load time series. */
export class FleetStore {
  constructor(private readonly db: Knex) {}

  async insertSamples(samples: NewFleetSample[]): Promise<void> {
    if (samples.length === 0) return;
    // Batches stay below SQLite's limit of bound variables per statement.
    await this.db.batchInsert('fleet_samples', samples.map(toRow), 500);
  }

  /** Returns the newest sample of each fleet, keyed by fleet reference. */
  async latestLoads(): Promise<Map<string, FleetLoadResponse>> {
    const newest = this.db('fleet_samples')
      .select('fleet_ref')
      .max({ newest_ms: 'sampled_at_ms' })
      .groupBy('fleet_ref')
      .as('newest');
    const rows: SampleDbRow[] = await this.db('fleet_samples as s')
      .join(newest, function joinNewest() {
        this.on('s.fleet_ref', '=', 'newest.fleet_ref').andOn(
          's.sampled_at_ms',
          '=',
          'newest.newest_ms',
        );
      })
      .select('s.*');
    const loads = new Map<string, FleetLoadResponse>();
    for (const row of rows) {
      loads.set(row.fleet_ref, toLoad(row));
    }
    return loads;
  }

  async latestLoad(fleetRef: string): Promise<FleetLoadResponse | undefined> {
    const row: SampleDbRow | undefined = await this.db('fleet_samples')
      .where({ fleet_ref: fleetRef })
      .orderBy('sampled_at_ms', 'desc')
      .first();
    return row ? toLoad(row) : undefined;
  }

  async latestSampleTime(fleetRef: string): Promise<number | undefined> {
    const row = await this.db('fleet_samples')
      .where({ fleet_ref: fleetRef })
      .max({ newest: 'sampled_at_ms' })
      .first();
    return row?.newest === null || row?.newest === undefined
      ? undefined
      : toNumber(row.newest);
  }

  async samples(options: {
    fleetRef: string;
    fromMs: number;
    toMs: number;
    offset: number;
    limit: number;
  }): Promise<{ items: FleetSampleRow[]; totalCount: number }> {
    const base = this.db('fleet_samples')
      .where({ fleet_ref: options.fleetRef })
      .andWhere('sampled_at_ms', '>=', options.fromMs)
      .andWhere('sampled_at_ms', '<=', options.toMs);
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows: SampleDbRow[] = await base
      .clone()
      .orderBy('sampled_at_ms', 'asc')
      .offset(options.offset)
      .limit(options.limit);
    return { items: rows.map(toSample), totalCount: toNumber(count) };
  }

  /** Sums the failures of the samples in a window, by `failure_reason`. */
  async failuresSince(
    fleetRef: string,
    sinceMs: number,
  ): Promise<Record<string, number>> {
    const rows: Array<{ failures_json: string }> = await this.db('fleet_samples')
      .where({ fleet_ref: fleetRef })
      .andWhere('sampled_at_ms', '>', sinceMs)
      .andWhereNot('source', 'backfill')
      .select('failures_json');
    const totals: Record<string, number> = {};
    for (const row of rows) {
      for (const [reason, count] of Object.entries(
        JSON.parse(row.failures_json) as Record<string, number>,
      )) {
        totals[reason] = (totals[reason] ?? 0) + count;
      }
    }
    return totals;
  }

  /** Sums jobs started per fleet and UTC day since a time. */
  async jobsPerDay(
    sinceMs: number,
  ): Promise<Array<{ fleetRef: string; day: number; jobs: number }>> {
    const rows: Array<{ fleet_ref: string; day: unknown; jobs: unknown }> =
      await this.db('fleet_samples')
        .where('sampled_at_ms', '>=', sinceMs)
        .select('fleet_ref')
        .select(this.db.raw('sampled_at_ms / 86400000 as day'))
        .sum({ jobs: 'jobs_started' })
        .groupBy('fleet_ref', this.db.raw('sampled_at_ms / 86400000'));
    return rows.map(row => ({
      fleetRef: row.fleet_ref,
      day: Math.floor(toNumber(row.day)),
      jobs: toNumber(row.jobs ?? 0),
    }));
  }

  async pruneBefore(cutoffMs: number): Promise<number> {
    return await this.db('fleet_samples')
      .where('sampled_at_ms', '<', cutoffMs)
      .delete();
  }

  async backfilledFleets(): Promise<Set<string>> {
    const rows: Array<{ fleet_ref: string }> = await this.db('fleet_state')
      .whereNotNull('backfilled_at_ms')
      .select('fleet_ref');
    return new Set(rows.map(row => row.fleet_ref));
  }

  async markBackfilled(fleetRef: string, atMs: number): Promise<void> {
    await this.db('fleet_state')
      .insert({ fleet_ref: fleetRef, backfilled_at_ms: atMs })
      .onConflict('fleet_ref')
      .merge();
  }
}
