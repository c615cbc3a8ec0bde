/*
 * Benchmarks a full runner fleet sync against the GitLab simulator.
 *
 * Run from the repository root:
 *   node --expose-gc -r @backstage/cli-node/config/nodeTransform.cjs \
 *     plugins/catalog-backend-module-runner-fleet/scripts/bench-discovery.ts [--rounds 5] [--write]
 *
 * The simulator runs in a child process, so the memory figures are the
 * sync's own. Each round measures, in this process and against the same
 * simulator:
 *   - the provider's full sync of 2,000 runners (list, details, managers,
 *     grouping, entities),
 *   - a raw-fetch baseline that sends the same HTTP requests with the same
 *     concurrency and does nothing else,
 *   - the provider's sync of the 200 runners of a second simulator.
 * With --write, the "## Discovery" section of docs/benchmarks.md is
 * replaced or appended; other sections stay as they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_ADMIN_TOKEN } from '@runner-fleet/gitlab-simulator';
import pLimit from 'p-limit';
import { parseAllDocuments } from 'yaml';
import { MemoryLiveFactsStore } from '../src/lib/liveFactsStore';
import {
  RunnerFleetEntityProvider,
  type RunnerFleetSyncResult,
} from '../src/providers';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SIMULATOR_BIN = path.join(
  REPO_ROOT,
  'packages/gitlab-simulator/bin/gitlab-simulator',
);
const NOW = '2026-12-04T12:00:00Z';
const CONCURRENCY = 8;
const PER_PAGE = 100;

interface Simulator {
  url: string;
  process: ChildProcess;
}

/** Starts the simulator CLI on a free loopback port and waits for its ready line. */
function startSimulator(runners: number): Promise<Simulator> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        SIMULATOR_BIN,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--runners',
        String(runners),
        '--projects',
        '300',
        '--now',
        NOW,
        '--log-level',
        'error',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout!.on('data', chunk => {
      output += String(chunk);
      const match = /ready at (http:\/\/\S+)\/api\/v4/.exec(output);
      if (match) {
        resolve({ url: match[1], process: child });
      }
    });
    child.on('exit', code =>
      reject(
        new Error(
          `gitlab-simulator exited with code ${code} before it was ready`,
        ),
      ),
    );
  });
}

async function stopSimulator(simulator: Simulator): Promise<void> {
  await new Promise<void>(resolve => {
    simulator.process.once('exit', () => resolve());
    simulator.process.kill('SIGTERM');
  });
}

async function simulatorRequestCount(simulator: Simulator): Promise<number> {
  const response = await fetch(`${simulator.url}/-/simulator/stats`);
  return ((await response.json()) as { total: number }).total;
}

async function resetSimulatorStats(simulator: Simulator): Promise<void> {
  await fetch(`${simulator.url}/-/simulator/reset-stats`, { method: 'POST' });
}

const silentLogger: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silentLogger,
};

function loadDeclaredFleets(): Entity[] {
  const file = path.join(REPO_ROOT, 'examples/runner-fleet/fleets.yaml');
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(document => document.toJSON() as Entity)
    .filter(entity => entity?.spec?.type === 'gitlab-runner-fleet');
}

function createProvider(simulator: Simulator): RunnerFleetEntityProvider {
  const host = new URL(simulator.url).host;
  const scheduler = {
    createScheduledTaskRunner: () => ({ run: async () => {} }),
  } as unknown as SchedulerService;
  const [provider] = RunnerFleetEntityProvider.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host,
            apiBaseUrl: `${simulator.url}/api/v4`,
            baseUrl: simulator.url,
            token: DEFAULT_ADMIN_TOKEN,
          },
        ],
      },
      catalog: {
        providers: {
          runnerFleet: {
            bench: { host, gitlab: { concurrency: CONCURRENCY } },
          },
        },
      },
    }),
    {
      logger: silentLogger,
      scheduler,
      catalog: catalogServiceMock({ entities: loadDeclaredFleets() }),
      auth: mockServices.auth(),
      liveFacts: new MemoryLiveFactsStore(),
      now: () => new Date(NOW),
    },
  );
  return provider;
}

/**
 * Runs `work` and returns its wall and CPU time and its peak heap growth:
 * the highest `heapUsed` sampled every 5 ms, minus `heapUsed` at the start
 * (after a full GC when node runs with --expose-gc).
 */
async function measure<T>(work: () => Promise<T>): Promise<{
  value: T;
  seconds: number;
  cpuSeconds: number;
  peakHeapMiB: number;
}> {
  global.gc?.();
  const startCpu = process.cpuUsage();
  const startHeap = process.memoryUsage().heapUsed;
  let peakHeap = startHeap;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(startCpu);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return {
      value,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakHeapMiB: (peakHeap - startHeap) / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Sends the requests a sync needs with plain fetch and the same
 * concurrency: every page of /runners/all, then details and managers of each
 * runner. It parses JSON and keeps nothing.
 */
async function rawFetchBaseline(simulator: Simulator): Promise<number> {
  const api = `${simulator.url}/api/v4`;
  const headers = { 'private-token': DEFAULT_ADMIN_TOKEN };
  const limit = pLimit(CONCURRENCY);
  const get = (url: string) =>
    limit(async () => {
      const response = await fetch(url, { headers });
      const body = await response.json();
      return { response, body };
    });

  const listed: Array<{ id: number; status: string }> = [];
  let page: string | null = '1';
  let requests = 0;
  while (page) {
    const { response, body } = await get(
      `${api}/runners/all?per_page=${PER_PAGE}&page=${page}`,
    );
    requests += 1;
    listed.push(...(body as typeof listed));
    page = response.headers.get('x-next-page') || null;
  }
  await Promise.all(
    listed.flatMap(runner => {
      const calls = [get(`${api}/runners/${runner.id}`)];
      if (runner.status !== 'never_contacted') {
        calls.push(get(`${api}/runners/${runner.id}/managers`));
      }
      requests += calls.length;
      return calls;
    }),
  );
  return requests;
}

function range(values: number[]): string {
  return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(
    1,
  )} s`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Row {
  seconds: number[];
  cpuSeconds: number[];
  peakHeapMiB: number[];
  requests: number;
}

function emptyRow(): Row {
  return { seconds: [], cpuSeconds: [], peakHeapMiB: [], requests: 0 };
}

function record(
  row: Row,
  sample: { seconds: number; cpuSeconds: number; peakHeapMiB: number },
) {
  row.seconds.push(sample.seconds);
  row.cpuSeconds.push(sample.cpuSeconds);
  row.peakHeapMiB.push(sample.peakHeapMiB);
}

async function main() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      write: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(
      `--rounds must be a positive integer, got ${values.rounds}`,
    );
  }

  const large = await startSimulator(2000);
  const small = await startSimulator(200);
  const rows = {
    sync2000: emptyRow(),
    raw2000: emptyRow(),
    sync200: emptyRow(),
  };
  const last: { large?: RunnerFleetSyncResult } = {};
  let neverContacted = 0;

  try {
    // One unmeasured pass warms up the JIT and the simulator.
    await createProvider(large).refresh();

    for (let round = 1; round <= rounds; round++) {
      // Alternate the order of the two large rows, because the shared
      // simulator and machine drift between the first and second row.
      const syncLarge = async () => {
        await resetSimulatorStats(large);
        const provider = createProvider(large);
        await provider.connect({
          applyMutation: async () => {},
          refresh: async () => {},
        });
        const sync = await measure(() => provider.refresh());
        if (sync.value.status !== 'applied') {
          throw new Error(`sync ${sync.value.status}: ${sync.value.reason}`);
        }
        last.large = sync.value;
        record(rows.sync2000, sync);
        rows.sync2000.requests = await simulatorRequestCount(large);
        return sync.seconds;
      };
      const rawLarge = async () => {
        await resetSimulatorStats(large);
        const raw = await measure(() => rawFetchBaseline(large));
        record(rows.raw2000, raw);
        rows.raw2000.requests = await simulatorRequestCount(large);
        return raw.seconds;
      };
      let syncSeconds: number;
      let rawSeconds: number;
      if (round % 2 === 1) {
        syncSeconds = await syncLarge();
        rawSeconds = await rawLarge();
      } else {
        rawSeconds = await rawLarge();
        syncSeconds = await syncLarge();
      }

      const smallProvider = createProvider(small);
      await smallProvider.connect({
        applyMutation: async () => {},
        refresh: async () => {},
      });
      await resetSimulatorStats(small);
      const smallSync = await measure(() => smallProvider.refresh());
      record(rows.sync200, smallSync);
      rows.sync200.requests = await simulatorRequestCount(small);
      console.error(
        `round ${round}: sync 2000 ${syncSeconds.toFixed(
          2,
        )} s, raw ${rawSeconds.toFixed(
          2,
        )} s, sync 200 ${smallSync.seconds.toFixed(2)} s`,
      );
    }

    const list = await fetch(
      `${large.url}/api/v4/runners/all?per_page=100&status=never_contacted`,
      { headers: { 'private-token': DEFAULT_ADMIN_TOKEN } },
    );
    neverContacted = ((await list.json()) as unknown[]).length;
  } finally {
    await stopSimulator(large);
    await stopSimulator(small);
  }

  const runners = 2000;
  const pages = Math.ceil(runners / PER_PAGE);
  const minimum = pages + 2 * runners;
  const rawSeconds = median(rows.raw2000.seconds);
  const rawCpu = median(rows.raw2000.cpuSeconds);
  const line = (name: string, row: Row) =>
    `| ${name} | ${median(row.seconds).toFixed(2)} | ${(
      median(row.seconds) / rawSeconds
    ).toFixed(2)} | ${median(row.cpuSeconds).toFixed(2)} | ${(
      median(row.cpuSeconds) / rawCpu
    ).toFixed(2)} | ${median(row.peakHeapMiB).toFixed(0)} | ${row.requests} |`;

  const section = [
    '## Discovery',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${
      os.cpus().length
    } cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node.js ${
      process.version
    }, with`,
    '`node --expose-gc -r @backstage/cli-node/config/nodeTransform.cjs plugins/catalog-backend-module-runner-fleet/scripts/bench-discovery.ts' +
      ` --rounds ${rounds} --write\`.`,
    'The GitLab simulator runs in a child process on 127.0.0.1 (2,000 runners: the example',
    "instance's 37 plus group and project runners; 300 projects). All rows run in the same",
    `process with ${CONCURRENCY} requests in flight; times and memory are the median of ${rounds} rounds`,
    'after one warm-up sync. Peak heap growth is the highest `heapUsed` sampled every 5 ms minus',
    '`heapUsed` after a full GC at the start of the row. This process (syncs and baseline; the',
    `simulator has its own process) peaked at ${(
      process.resourceUsage().maxRSS / 1024
    ).toFixed(0)} MiB RSS (\`process.resourceUsage().maxRSS\`).`,
    '',
    '| what | wall seconds | wall ratio to raw | client CPU seconds | CPU ratio to raw | peak heap growth (MiB) | HTTP requests |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    line('raw fetch of the same requests (baseline)', rows.raw2000),
    line('provider full sync, 2,000 runners', rows.sync2000),
    line('provider full sync, 200 runners', rows.sync200),
    '',
    `Wall seconds per round ranged ${range(
      rows.raw2000.seconds,
    )} (raw), ${range(rows.sync2000.seconds)} (sync of 2,000) and ${range(
      rows.sync200.seconds,
    )} (sync of 200),`,
    'because other jobs shared the 2 cores during the run; the medians carry that noise.',
    'Wall time is bound by the simulator, which serves every request on one core; client CPU',
    "time (this process's user and system time) shows the provider's own cost, including",
    'grouping and building entities, against the bare HTTP client.',
    '',
    `Requests: GitLab's REST API needs at least ${minimum} requests for 2,000 runners`,
    `(${pages} pages of 100 from \`/runners/all\`, one \`/runners/:id\` and one \`/runners/:id/managers\``,
    'per runner), because the list has no tags, run-untagged flag or contact time and GitLab',
    `17+ reports version and architecture only on the managers. The provider sent ${
      last.large?.requests ?? 'n/a'
    }`,
    'requests. It leaves out the managers call of runners that never contacted GitLab, because',
    `GitLab creates a manager at the first contact; this seed has ${neverContacted} such runners, so`,
    `that saved ${neverContacted} calls here. The simulator counted the requests in the table,`,
    'retries included (none here). Fewer requests would need the GraphQL API, which',
    'returns runners with their managers in pages, or caching details between syncs; neither',
    'is implemented.',
    '',
  ].join('\n');

  process.stdout.write(`${section}\n`);
  if (values.write) {
    const file = path.join(REPO_ROOT, 'docs/benchmarks.md');
    const current = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8')
      : '# Benchmarks\n\nMeasured numbers with the script, command and machine behind them.\n';
    const pattern = /## Discovery\n[\s\S]*?(?=\n## |$)/;
    const next = pattern.test(current)
      ? current.replace(pattern, `${section.trimEnd()}\n`)
      : `${current.trimEnd()}\n\n${section}`;
    fs.writeFileSync(file, next);
    console.error(`Wrote the Discovery section of ${file}`);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
