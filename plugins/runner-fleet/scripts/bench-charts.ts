/* eslint-disable no-console -- a command-line script that prints its results */
/*
 * Measures how long the fleet load tab takes to turn stored samples into
 * chart points, against a baseline that only parses the timestamps.
 *
 * Run from the repository root:
 *   node -r @backstage/cli-node/config/nodeTransform.cjs plugins/runner-fleet/scripts/bench-charts.ts --rounds 10
 */
import type { FleetSampleRow } from '@runner-fleet/plugin-runner-fleet-common';
import {
  fastestRise,
  toLoadPoints,
} from '../src/components/dashboards/timeRanges';

const SAMPLE_STEP_MS = 15_000;

function parseRounds(argv: string[]): number {
  const index = argv.indexOf('--rounds');
  if (index < 0) {
    return 10;
  }
  const rounds = Number(argv[index + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`Invalid --rounds "${argv[index + 1]}": use a whole number of 1 or more`);
  }
  return rounds;
}

/** Builds `count` samples 15 s apart with a sawtooth load, so buckets and rises have work to do. */
function makeSamples(count: number): FleetSampleRow[] {
  const start = Date.parse('2026-11-27T00:00:00Z');
  return Array.from({ length: count }, (_, index) => ({
    sampledAt: new Date(start + index * SAMPLE_STEP_MS).toISOString(),
    runningJobs: (index * 7) % 101,
    pendingJobs: (index * 3) % 17,
    jobsStartedPerMinute: index % 60,
    jobsStarted: index % 5,
    resolutionSeconds: 15,
    source: 'gitlab' as const,
    queueWaitSeconds: { p50: index % 10, p90: index % 40, p99: index % 90 },
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(rounds: number, run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

function main() {
  const rounds = parseRounds(process.argv.slice(2));
  const rows: Array<[string, number, number]> = [];
  for (const [label, count, bucketMs] of [
    ['last day (5,760 samples), 5 min buckets', 5_760, 300_000],
    ['last 7 days (40,320 samples), 1 h buckets', 40_320, 3_600_000],
  ] as const) {
    const samples = makeSamples(count);
    const baseline = measure(rounds, () => samples.map(sample => Date.parse(sample.sampledAt)));
    const raw = measure(rounds, () => toLoadPoints(samples, 0));
    const bucketed = measure(rounds, () => toLoadPoints(samples, bucketMs));
    const points = toLoadPoints(samples, 0);
    const rise = measure(rounds, () => fastestRise(points, 60_000));
    rows.push([`${label}: parse timestamps only (baseline)`, baseline, 1]);
    rows.push([`${label}: points, every sample`, raw, raw / baseline]);
    rows.push([`${label}: points, bucketed`, bucketed, bucketed / baseline]);
    rows.push([`${label}: fastest rise within a minute`, rise, rise / baseline]);
  }

  console.log('| what | median ms | ratio to baseline |');
  console.log('| --- | --- | --- |');
  for (const [what, ms, ratio] of rows) {
    console.log(`| ${what} | ${ms.toFixed(2)} | ${ratio.toFixed(2)} |`);
  }
}

main();
