/*
 * Benchmarks the GitLab simulator: seeding time and heap at the default and
 * the largest benchmark size, and request cost per endpoint over loopback
 * HTTP as a ratio to GET /api/v4/version measured in the same process.
 *
 * Run from the repository root:
 *   node --expose-gc -r @backstage/cli-node/config/nodeTransform.cjs \
 *     packages/gitlab-simulator/bench/bench.ts [--requests 400] [--concurrency 8]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createSeedData } from '../src/instance';
import { startGitLabSimulator } from '../src/server';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function measureSeed(projects: number, runners: number) {
  const before = heapMiB();
  const started = process.hrtime.bigint();
  const data = createSeedData({
    seed: 1,
    projects,
    runners,
    now: NOW,
    jobsPerDay: Math.min(projects * 20, 20000),
    historyDays: 14,
    futureHours: 24,
    adminToken: 'glpat-bench-admin-token',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const heap = heapMiB() - before;
  const result = {
    projects,
    runners,
    jobs: data.store.jobs.length,
    seconds,
    heap,
  };
  return { result, data };
}

async function measureRequests(
  url: string,
  token: string,
  path: string,
  requests: number,
  concurrency: number,
) {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const response = await fetch(`${url}/api/v4${path}`, {
        headers: { 'PRIVATE-TOKEN': token },
      });
      if (!response.ok)
        throw new Error(`GET ${path} returned ${response.status}`);
      await response.arrayBuffer();
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6 / requests;
}

async function main() {
  const { values } = parseArgs({
    options: { requests: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const requests = Number(values.requests ?? 400);
  const concurrency = Number(values.concurrency ?? 8);
  process.stdout.write(
    `Node.js ${process.version}, ${os.cpus().length} × ${
      os.cpus()[0]?.model ?? 'unknown CPU'
    }\n\n`,
  );

  const small = measureSeed(300, 37).result;
  const large = measureSeed(20000, 2000).result;
  process.stdout.write(
    '| size | jobs | seed seconds | heap MiB | seconds ratio to default |\n| --- | --- | --- | --- | --- |\n',
  );
  for (const row of [small, large]) {
    process.stdout.write(
      `| ${row.projects} projects, ${row.runners} runners | ${
        row.jobs
      } | ${row.seconds.toFixed(2)} | ${row.heap.toFixed(0)} | ${(
        row.seconds / small.seconds
      ).toFixed(1)} |\n`,
    );
  }

  for (const size of [
    { projects: 300, runners: 37 },
    { projects: 20000, runners: 2000 },
  ]) {
    const simulator = await startGitLabSimulator({
      ...size,
      now: NOW,
      clock: () => NOW,
      logLevel: 'silent',
    });
    const paths = [
      '/version',
      '/runners/all?per_page=100',
      '/runners/21',
      '/runners/21/managers',
      '/runners/21/jobs?per_page=100',
      '/projects?per_page=100&simple=true',
      '/projects?per_page=100',
      '/projects?pagination=keyset&order_by=id&per_page=100',
      '/projects/1/jobs?per_page=100',
      '/projects/2/repository/files/.gitlab-ci.yml/raw?ref=main',
      '/projects/2/ci/lint',
    ];
    // Warm up the HTTP connection pool and the JIT before measuring.
    await measureRequests(
      simulator.url,
      simulator.token,
      '/version',
      200,
      concurrency,
    );
    const baseline = await measureRequests(
      simulator.url,
      simulator.token,
      '/version',
      requests,
      concurrency,
    );
    process.stdout.write(
      `\n${size.projects} projects, ${size.runners} runners; ${requests} requests per row, ${concurrency} at a time\n\n`,
    );
    process.stdout.write(
      '| request | ms per request | ratio to /version |\n| --- | --- | --- |\n',
    );
    for (const path of paths) {
      const ms =
        path === '/version'
          ? baseline
          : await measureRequests(
              simulator.url,
              simulator.token,
              path,
              requests,
              concurrency,
            );
      process.stdout.write(
        `| GET ${path} | ${ms.toFixed(3)} | ${(ms / baseline).toFixed(1)} |\n`,
      );
    }
    await simulator.close();
  }
}

main().catch(error => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
