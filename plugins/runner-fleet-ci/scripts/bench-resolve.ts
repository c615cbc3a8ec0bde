/*
 * Measures the CI configuration resolver against parsing the same text with
 * the `yaml` package, in one process, and prints a Markdown table for
 * docs/benchmarks.md.
 *
 * Run from the repository root:
 *   node -r @backstage/cli-node/config/nodeTransform.cjs plugins/runner-fleet-ci/scripts/bench-resolve.ts [--rounds N]
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createMemoryReader } from '../src/resolve/memoryReader';
import { resolvePipeline } from '../src/resolve';

const repoRoot = path.resolve(__dirname, '../../..');
const corpusDir = path.join(repoRoot, 'fixtures/corpus/gitlab-ci');

interface Workload {
  name: string;
  /** Each project: its files by path; the root is `.gitlab-ci.yml` unless `root` names another. */
  projects: Array<{ files: Record<string, string>; root: string }>;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const result: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) result.push(...(await listFiles(dir, relative)));
    else if (/\.ya?ml$/.test(entry.name)) result.push(relative);
  }
  return result;
}

async function corpusWorkload(): Promise<Workload> {
  const rows = (await fs.readFile(path.join(corpusDir, 'SOURCES.tsv'), 'utf8'))
    .trim()
    .split('\n')
    .slice(1);
  const projects: Workload['projects'] = [];
  for (const row of rows) {
    const [dir, , root] = row.split('\t');
    const files: Record<string, string> = {};
    for (const file of await listFiles(path.join(corpusDir, dir))) {
      files[file] = await fs.readFile(path.join(corpusDir, dir, file), 'utf8');
    }
    projects.push({ files, root });
  }
  return { name: `corpus (${projects.length} root files)`, projects };
}

/** 150 included files of 20 jobs each, every job extending a two-level template chain. */
function includesWorkload(): Workload {
  const files: Record<string, string> = {};
  const includes: string[] = [];
  files['templates.yml'] = [
    '.base:',
    '  image: registry.example.org/cc7-base',
    '  tags: [docker]',
    '  before_script: [source /cvmfs/sft.cern.ch/setup.sh]',
    '.k8s:',
    '  extends: .base',
    '  tags: [k8s-default]',
  ].join('\n');
  includes.push('  - templates.yml');
  for (let i = 0; i < 149; i++) {
    const jobs: string[] = [];
    for (let j = 0; j < 20; j++) {
      jobs.push(
        `job-${i}-${j}:`,
        '  extends: .k8s',
        '  script:',
        `    - make test-${j}`,
        '    - ping -c1 localhost',
      );
    }
    files[`ci/part-${i}.yml`] = jobs.join('\n');
    includes.push(`  - ci/part-${i}.yml`);
  }
  files['.gitlab-ci.yml'] = ['include:', ...includes].join('\n');
  return {
    name: '150 includes, 2,980 jobs with extends',
    projects: [{ files, root: '.gitlab-ci.yml' }],
  };
}

/** Builds one file of about 1.9 MB with the same kind of jobs, using anchors and !reference. */
function largeFileWorkload(): Workload {
  const lines = [
    '.setup: &setup',
    '  image: registry.example.org/cc7-base',
    '  tags: [cvmfs]',
    '.script:',
    '  script: [make]',
  ];
  let index = 0;
  while (lines.join('\n').length < 1_900_000) {
    lines.push(
      `job-${index}:`,
      '  <<: *setup',
      '  script:',
      '    - !reference [.script, script]',
      `    - ./run-test ${index}`,
    );
    index += 1;
  }
  return {
    name: `one 1.9 MB file, ${index} jobs with anchors and !reference`,
    projects: [
      { files: { '.gitlab-ci.yml': lines.join('\n') }, root: '.gitlab-ci.yml' },
    ],
  };
}

/** Ten levels of ten aliases each: 10^10 values if expanded. */
function aliasBombWorkload(): Workload {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('job:', '  script: *a9');
  return {
    name: 'alias bomb (10^10 values if expanded)',
    projects: [
      { files: { '.gitlab-ci.yml': lines.join('\n') }, root: '.gitlab-ci.yml' },
    ],
  };
}

function parseOnly(workload: Workload): number {
  let documents = 0;
  for (const project of workload.projects) {
    for (const text of Object.values(project.files)) {
      documents += [
        parseAllDocuments(text, { version: '1.1', uniqueKeys: false }),
      ].length;
    }
  }
  return documents;
}

async function resolveAll(workload: Workload): Promise<number> {
  let jobs = 0;
  for (const project of workload.projects) {
    const pipeline = await resolvePipeline({
      reader: createMemoryReader(project.files),
      rootFile: project.root,
    });
    jobs += pipeline.jobs.length;
  }
  return jobs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(action: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main() {
  const roundsIndex = process.argv.indexOf('--rounds');
  const rounds = roundsIndex > 0 ? Number(process.argv[roundsIndex + 1]) : 5;
  const workloads = [
    await corpusWorkload(),
    includesWorkload(),
    largeFileWorkload(),
    aliasBombWorkload(),
  ];

  console.log(
    '| workload | parse only (s) | resolve (s) | ratio to parsing | jobs | resolve heap growth (MiB) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const workload of workloads) {
    await resolveAll(workload);
    parseOnly(workload);
    const parseTimes: number[] = [];
    const resolveTimes: number[] = [];
    let jobs = 0;
    let heapGrowth = 0;
    for (let round = 0; round < rounds; round++) {
      parseTimes.push(await time(() => parseOnly(workload)));
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = process.hrtime.bigint();
      jobs = await resolveAll(workload);
      resolveTimes.push(Number(process.hrtime.bigint() - started) / 1e9);
      heapGrowth = Math.max(
        heapGrowth,
        process.memoryUsage().heapUsed - heapBefore,
      );
    }
    const parse = median(parseTimes);
    const resolve = median(resolveTimes);
    console.log(
      `| ${workload.name} | ${parse.toFixed(4)} | ${resolve.toFixed(4)} | ${(
        resolve / parse
      ).toFixed(1)} | ${jobs} | ${(heapGrowth / 1048576).toFixed(0)} |`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
