/*
 * Measures the migration check over fixtures/corpus/gitlab-ci in files per
 * second, against parsing the same files' YAML in the same process, and
 * against gitlab-ci-local --preview resolving the same files. Writes the
 * section "## CI migration engine" of docs/benchmarks.md.
 *
 * Run from the repository root:
 *   node -r @backstage/cli-node/config/nodeTransform.cjs plugins/runner-fleet-ci/scripts/bench.ts [--rounds N] [--no-glci]
 *
 * Files are read into memory first, so neither in-process column includes
 * disk reads. gitlab-ci-local runs once per file in its own process, as a
 * user runs it. It runs inside `unshare -n`, so it cannot reach the
 * network, and its column includes process start-up.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { resolvePipeline } from '../src/resolve';
import { createMemoryReader } from '../src/resolve/memoryReader';
import { analyzePipeline } from '../src/rules';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');
const corpusDir = path.join(repoRoot, 'fixtures/corpus/gitlab-ci');
const benchmarksPath = path.join(repoRoot, 'docs/benchmarks.md');
const glciBin = path.join(repoRoot, 'node_modules/gitlab-ci-local/dist/index.js');
const SECTION = '## CI migration engine';
const NOW = new Date('2026-12-01T12:00:00Z');

interface CorpusEntry {
  dir: string;
  rootFile: string;
  files: Record<string, string>;
  /** Texts of the files that resolving the root file reads. */
  resolvedTexts: string[];
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      files.push(...(await listFiles(dir, relative)));
    } else {
      files.push(relative);
    }
  }
  return files;
}

async function loadCorpus(): Promise<CorpusEntry[]> {
  const rows = (await fs.readFile(path.join(corpusDir, 'SOURCES.tsv'), 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map(row => row.split('\t'));
  const entries: CorpusEntry[] = [];
  for (const [dir, , rootFile] of rows) {
    const files: Record<string, string> = {};
    for (const file of await listFiles(path.join(corpusDir, dir))) {
      files[file] = await fs.readFile(path.join(corpusDir, dir, file), 'utf8');
    }
    const pipeline = await resolvePipeline({ reader: createMemoryReader(files), rootFile });
    entries.push({ dir, rootFile, files, resolvedTexts: pipeline.files.map(file => file.text) });
  }
  return entries;
}

async function timeCheck(corpus: CorpusEntry[]): Promise<number> {
  const started = process.hrtime.bigint();
  for (const entry of corpus) {
    const pipeline = await resolvePipeline({ reader: createMemoryReader(entry.files), rootFile: entry.rootFile });
    analyzePipeline(pipeline, { now: NOW });
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function timeParse(corpus: CorpusEntry[]): number {
  const started = process.hrtime.bigint();
  for (const entry of corpus) {
    for (const text of entry.resolvedTexts) {
      parseDocument(text, { maxAliasCount: 100_000, uniqueKeys: false });
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function timeGitlabCiLocal(corpus: CorpusEntry[]): Promise<{ seconds: number; succeeded: number }> {
  let seconds = 0;
  let succeeded = 0;
  for (const entry of corpus) {
    const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'rf-bench-'));
    try {
      await fs.cp(path.join(corpusDir, entry.dir), temp, { recursive: true });
      const git = (...args: string[]) =>
        run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', ...args], { cwd: temp });
      await git('init', '-q', '-b', 'main');
      await git('add', '-A');
      await git('commit', '-q', '--allow-empty', '-m', 'bench');
      await git('remote', 'add', 'origin', 'git@gitlab.example.org:physics/bench.git');
      const started = process.hrtime.bigint();
      try {
        await run('unshare', ['-n', process.execPath, glciBin, '--preview', '--no-color', '--file', entry.rootFile], {
          cwd: temp,
          timeout: 120_000,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, HOME: temp },
        });
        succeeded++;
      } catch {
        // A failed preview (missing include, network) still took this long.
      }
      seconds += Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await fs.rm(temp, { recursive: true, force: true });
    }
  }
  return { seconds, succeeded };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const roundsIndex = process.argv.indexOf('--rounds');
  const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) : 20;
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds must be a positive whole number, got ${process.argv[roundsIndex + 1]}`);
  }
  const corpus = await loadCorpus();
  const fileCount = corpus.length;
  const yamlFiles = corpus.reduce((sum, entry) => sum + entry.resolvedTexts.length, 0);

  // Warm up the JIT and module caches before measuring.
  await timeCheck(corpus);
  timeParse(corpus);

  const checkTimes: number[] = [];
  const parseTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither column always runs on a warmer heap.
    if (round % 2 === 0) {
      checkTimes.push(await timeCheck(corpus));
      parseTimes.push(timeParse(corpus));
    } else {
      parseTimes.push(timeParse(corpus));
      checkTimes.push(await timeCheck(corpus));
    }
  }
  const check = median(checkTimes);
  const parse = median(parseTimes);

  let glci: { seconds: number; succeeded: number } | undefined;
  let glciNote = '';
  const glciInstalled = await fs.stat(glciBin).then(() => true, () => false);
  if (process.argv.includes('--no-glci')) {
    glciNote = 'skipped (--no-glci)';
  } else if (!glciInstalled) {
    glciNote = 'skipped: gitlab-ci-local is not installed';
  } else {
    glci = await timeGitlabCiLocal(corpus);
  }
  const glciVersion = glciInstalled
    ? JSON.parse(await fs.readFile(path.join(repoRoot, 'node_modules/gitlab-ci-local/package.json'), 'utf8')).version
    : undefined;

  const rate = (seconds: number) => (fileCount / seconds).toFixed(1);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    SECTION,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${cpu}), Node.js ${process.version},`,
    `with \`node -r @backstage/cli-node/config/nodeTransform.cjs plugins/runner-fleet-ci/scripts/bench.ts --rounds ${rounds}\`.`,
    `Corpus: ${fileCount} root files of \`fixtures/corpus/gitlab-ci\` (${yamlFiles} YAML files with their local includes),`,
    'read into memory first. In-process columns are the median of the rounds; both run in the same process,',
    'so their ratio holds even though other jobs shared the machine and the absolute numbers vary between runs.',
    '',
    '| what | seconds per corpus pass | files per second | ratio to parsing |',
    '| --- | --- | --- | --- |',
    `| parse YAML only (\`yaml\` parseDocument of the same files) | ${parse.toFixed(4)} | ${rate(parse)} | 1.0 |`,
    `| full check (resolve, rules, score) | ${check.toFixed(4)} | ${rate(check)} | ${(check / parse).toFixed(1)} |`,
    glci
      ? `| gitlab-ci-local ${glciVersion} \`--preview\`, one process per file | ${glci.seconds.toFixed(2)} | ${rate(glci.seconds)} | ${(glci.seconds / parse).toFixed(0)} |`
      : `| gitlab-ci-local \`--preview\` | ${glciNote} | | |`,
    '',
    glci
      ? `gitlab-ci-local produced a preview for ${glci.succeeded} of ${fileCount} files (it exits with an error on the others, for example on includes that are not in the corpus, and this script does not sort the errors); every run counts with its time. Its column includes starting Node.js for each file, which the in-process columns do not pay, so it shows what a user waits for, not resolver speed alone.`
      : '',
    '',
  ];

  let existing = '';
  try {
    existing = await fs.readFile(benchmarksPath, 'utf8');
  } catch {
    existing = '# Benchmarks\n\nMeasured numbers with the script, command and machine behind them.\n\n';
  }
  const start = existing.indexOf(SECTION);
  let updated: string;
  if (start < 0) {
    updated = `${existing.trimEnd()}\n\n${lines.join('\n')}`;
  } else {
    const next = existing.indexOf('\n## ', start + SECTION.length);
    updated = existing.slice(0, start) + lines.join('\n') + (next >= 0 ? `\n${existing.slice(next + 1)}` : '');
  }
  await fs.writeFile(benchmarksPath, `${updated.trimEnd()}\n`, 'utf8');
  console.log(lines.join('\n'));
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
