/*
 * Compares our resolver with gitlab-ci-local on every case folder in
 * fixtures/corpus/gitlab-ci-local-cases and writes
 * docs/ci-resolution-fidelity.md.
 *
 * Run from the repository root:
 *   node node_modules/.bin/sucrase-node plugins/runner-fleet-ci/scripts/differential.ts [--write-expected]
 *
 * gitlab-ci-local runs with `--preview` in a temporary copy of each case,
 * inside `unshare -n` (a network namespace without interfaces), so it writes
 * nothing into the repository and cannot reach any host: cases that need
 * templates, remote files or other projects fail on its side and are
 * reported as such. `--write-expected` also stores gitlab-ci-local's jobs for
 * the cases in EXPECTED_CASES as JSON fixtures for the jest test.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { createDirectoryReader, resolvePipeline } from '../src/resolve';
import { RESERVED_KEYS } from '../src/resolve/extends';
import { EXPLANATIONS, EXPECTED_CASES } from './differentialNotes';

const run = promisify(execFile);

const repoRoot = path.resolve(__dirname, '../../..');
const casesDir = path.join(repoRoot, 'fixtures/corpus/gitlab-ci-local-cases');
const glciBin = path.join(
  repoRoot,
  'node_modules/gitlab-ci-local/dist/index.js',
);
const glciVersion: string = require(path.join(
  repoRoot,
  'node_modules/gitlab-ci-local/package.json',
)).version;
const docPath = path.join(repoRoot, 'docs/ci-resolution-fidelity.md');
const expectedDir = path.resolve(
  __dirname,
  '../src/resolve/__fixtures__/differential',
);

/** Keys compared per job. */
export const COMPARED_KEYS = [
  'image',
  'services',
  'tags',
  'script',
  'before_script',
  'after_script',
  'variables',
] as const;

/** The project path both tools see, taken from the temporary checkout's remote. */
const PROJECT_PATH = 'physics/detector-sim';

type Jobs = Record<string, Record<string, unknown>>;

interface CaseResult {
  name: string;
  status: 'agree' | 'disagree' | 'glci-failed' | 'ours-failed';
  jobsCompared: number;
  valuesCompared: number;
  valuesAgreeing: number;
  differences: string[];
  glciError?: string;
  ourErrors: string[];
}

async function runGitlabCiLocal(
  caseDir: string,
): Promise<{ jobs?: Jobs; error?: string }> {
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'rf-glci-'));
  try {
    await fs.cp(caseDir, temp, { recursive: true });
    const git = (...args: string[]) => run('git', args, { cwd: temp });
    await git('init', '-q', '-b', 'main');
    await git(
      '-c',
      'user.name=differential',
      '-c',
      'user.email=differential@example.org',
      'add',
      '-A',
    );
    await git(
      '-c',
      'user.name=differential',
      '-c',
      'user.email=differential@example.org',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'case',
    );
    await git(
      'remote',
      'add',
      'origin',
      `git@gitlab.example.org:${PROJECT_PATH}.git`,
    );
    const { stdout } = await run(
      'unshare',
      ['-n', process.execPath, glciBin, '--preview', '--no-color'],
      {
        cwd: temp,
        timeout: 90_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, HOME: temp },
      },
    );
    const start = stdout.indexOf('---\n');
    if (start < 0) return { error: 'no YAML in the output' };
    const document = parse(stdout.slice(start), {
      version: '1.1',
      merge: true,
      uniqueKeys: false,
    }) as Record<string, unknown>;
    const jobs: Jobs = {};
    for (const [name, value] of Object.entries(document ?? {})) {
      if (
        RESERVED_KEYS.has(name) ||
        name.startsWith('.') ||
        !value ||
        typeof value !== 'object'
      )
        continue;
      jobs[name] = value as Record<string, unknown>;
    }
    return { jobs };
  } catch (error) {
    const failure = error as {
      stdout?: string;
      stderr?: string;
      message: string;
    };
    const text = `${failure.stderr ?? ''}\n${failure.stdout ?? ''}`;
    const lines = text
      .split('\n')
      .map(line => line.trim())
      .filter(
        line =>
          line &&
          !/^(Using fallback|Command failed|fatal:|error: No such remote|Unable to retrieve|Use '--'|'git |HEAD$)/.test(
            line,
          ),
      );
    const message = lines.slice(-3).join(' ') || failure.message;
    // The temporary folder name changes on every run and means nothing to a reader.
    return { error: message.split(temp).join('<case copy>') };
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/** Our resolved jobs, restricted to the compared keys. */
export async function resolveCase(
  caseDir: string,
): Promise<{ jobs: Jobs; errors: string[] }> {
  const pipeline = await resolvePipeline({
    reader: createDirectoryReader(caseDir),
    projectPath: PROJECT_PATH,
  });
  const jobs: Jobs = {};
  for (const job of pipeline.jobs) {
    jobs[job.name] = pick(job.definition);
  }
  return {
    jobs,
    errors: pipeline.errors
      .filter(error => error.severity !== 'warning')
      .map(error => `${error.code}: ${error.message}`),
  };
}

/**
 * Picks the compared keys and writes them in one form: GitLab reads an image
 * or service written as a string as `{ name }`, and a script written as a
 * string as a one-line list. gitlab-ci-local prints the long forms; our
 * resolver keeps images and services as written.
 */
export function pick(
  definition: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of COMPARED_KEYS) {
    let value = definition[key];
    if (value === undefined) continue;
    if (key === 'image' && typeof value === 'string') {
      value = { name: value };
    }
    if (key === 'services' && Array.isArray(value)) {
      value = value.map(service =>
        typeof service === 'string' ? { name: service } : service,
      );
    }
    if (
      (key === 'script' || key === 'before_script' || key === 'after_script') &&
      typeof value === 'string'
    ) {
      value = [value];
    }
    result[key] = value;
  }
  return result;
}

function compare(
  name: string,
  ours: Jobs,
  theirs: Jobs,
): Omit<CaseResult, 'name' | 'status' | 'ourErrors'> {
  const differences: string[] = [];
  let valuesCompared = 0;
  let valuesAgreeing = 0;
  const jobNames = [...new Set([...Object.keys(theirs), ...Object.keys(ours)])];
  for (const job of jobNames) {
    if (!ours[job]) {
      differences.push(`job \`${job}\` only in gitlab-ci-local`);
      continue;
    }
    if (!theirs[job]) {
      differences.push(`job \`${job}\` only in ours`);
      continue;
    }
    const theirsPicked = pick(theirs[job]);
    for (const key of COMPARED_KEYS) {
      valuesCompared += 1;
      const a = canonicalJson(ours[job][key]);
      const b = canonicalJson(theirsPicked[key]);
      if (a === b) {
        valuesAgreeing += 1;
      } else {
        differences.push(
          `\`${job}\`.${key}: ours ${a ?? 'absent'}, gitlab-ci-local ${
            b ?? 'absent'
          }`,
        );
      }
    }
  }
  return {
    jobsCompared: jobNames.length,
    valuesCompared,
    valuesAgreeing,
    differences,
  };
}

/** JSON with map keys sorted, so key order does not count as a difference. */
function canonicalJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return JSON.stringify(value, (_key, item) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item).sort(([a], [b]) => a.localeCompare(b)),
        )
      : item,
  );
}

function truncate(text: string, length = 300): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

async function main() {
  const writeExpected = process.argv.includes('--write-expected');
  const names = (await fs.readdir(casesDir, { withFileTypes: true }))
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort();

  const results: CaseResult[] = [];
  for (const name of names) {
    const caseDir = path.join(casesDir, name);
    try {
      await fs.access(path.join(caseDir, '.gitlab-ci.yml'));
    } catch {
      continue;
    }
    const [theirs, ours] = await Promise.all([
      runGitlabCiLocal(caseDir),
      resolveCase(caseDir),
    ]);
    if (!theirs.jobs) {
      results.push({
        name,
        status: 'glci-failed',
        jobsCompared: 0,
        valuesCompared: 0,
        valuesAgreeing: 0,
        differences: [],
        glciError: theirs.error,
        ourErrors: ours.errors,
      });
      process.stdout.write(`${name}: gitlab-ci-local failed\n`);
      continue;
    }
    const comparison = compare(name, ours.jobs, theirs.jobs);
    const status = comparison.differences.length === 0 ? 'agree' : 'disagree';
    results.push({ name, status, ...comparison, ourErrors: ours.errors });
    process.stdout.write(`${name}: ${status}\n`);

    if (writeExpected && EXPECTED_CASES.includes(name)) {
      await fs.mkdir(expectedDir, { recursive: true });
      const expected: Jobs = {};
      for (const [job, definition] of Object.entries(theirs.jobs))
        expected[job] = pick(definition);
      await fs.writeFile(
        path.join(expectedDir, `${name}.json`),
        `${JSON.stringify(expected, null, 2)}\n`,
      );
    }
  }

  await fs.writeFile(docPath, renderDoc(results));
  process.stdout.write(`wrote ${path.relative(repoRoot, docPath)}\n`);
}

const LINT_SECTION = `## Comparison with GitLab's CI Lint

GitLab's CI Lint API (\`POST /api/v4/projects/:id/ci/lint\` with
\`include_merged_yaml=true\`) returns \`merged_yaml\`: the configuration after
includes are merged and \`extends\` is applied. Each job in it still carries its
\`extends\` key, hidden jobs are still listed, and \`default\` is not copied into
jobs. GitLab's public example (a \`.job-tmpl\` template with image, variables and
script, extended by two jobs, one overriding BUILD_TYPE and script) shows both
jobs with the template's keys merged in and \`extends: ".job-tmpl"\` kept.

Our resolver returns the same job values, with \`extends\` moved to
\`ResolvedJob.extends\`, and goes one step further by applying \`default\`,
\`inherit\` and \`!reference\`. The hand examples run in
\`src/resolve/lintShape.test.ts\`:

| example | GitLab's merged_yaml | ours | agreement |
| --- | --- | --- | --- |
| the documented \`.job-tmpl\` example | both jobs hold image, variables and script; the prod job keeps its own BUILD_TYPE and script; \`extends\` kept | the same values; \`extends\` in \`ResolvedJob.extends\` | agree |
| a root file sets \`stage\` of a job defined in an included file | the included job with the root's \`stage\` (the including file wins) | the same, and \`files\` lists both files | agree |
| a job without \`image\` under \`default: image\` | the job has no \`image\` (defaults are applied later, when jobs are composed) | the job's definition holds the default image, located at the \`default\` line | by design: ours is the job as it runs |
| hidden jobs such as \`.job-tmpl\` | listed | not jobs; their values appear only through extends and references | by design |
`;

function renderDoc(results: CaseResult[]): string {
  const compared = results.filter(
    r => r.status === 'agree' || r.status === 'disagree',
  );
  const agreeing = compared.filter(r => r.status === 'agree');
  const values = compared.reduce((sum, r) => sum + r.valuesCompared, 0);
  const valuesAgreeing = compared.reduce((sum, r) => sum + r.valuesAgreeing, 0);
  const failed = results.filter(r => r.status === 'glci-failed');
  const unexplained = results.filter(
    r => r.status !== 'agree' && !EXPLANATIONS[r.name],
  );

  const lines: string[] = [];
  lines.push('# CI resolution fidelity');
  lines.push('');
  lines.push(
    'This page compares how `@runner-fleet/ci` resolves GitLab CI configuration',
  );
  lines.push('with two references. It is generated by');
  lines.push(
    '`plugins/runner-fleet-ci/scripts/differential.ts`; the sections after',
  );
  lines.push(
    '"Comparison with GitLab\'s CI Lint" are kept by hand in that script.',
  );
  lines.push('');
  lines.push('## Comparison with gitlab-ci-local');
  lines.push('');
  lines.push(
    `Reference: gitlab-ci-local ${glciVersion} (\`--preview\`), run on every case folder of`,
  );
  lines.push(
    "`fixtures/corpus/gitlab-ci-local-cases` (cases from gitlab-ci-local's own test suite).",
  );
  lines.push('Each tool resolves the case; for every job the keys');
  lines.push(
    `${COMPARED_KEYS.map(key => `\`${key}\``).join(
      ', ',
    )} are compared as JSON.`,
  );
  lines.push(
    'gitlab-ci-local runs without network access, so cases that include templates,',
  );
  lines.push('remote files or other projects fail on its side.');
  lines.push('');
  lines.push('### Totals');
  lines.push('');
  lines.push(`- Cases: ${results.length}`);
  lines.push(
    `- Compared (gitlab-ci-local produced a preview): ${compared.length}`,
  );
  lines.push(
    `- Cases in full agreement: ${agreeing.length} of ${compared.length}`,
  );
  lines.push(`- Job values in agreement: ${valuesAgreeing} of ${values}`);
  lines.push(
    `- Cases where gitlab-ci-local produced no preview: ${failed.length}`,
  );
  lines.push(`- Cases without an explanation below: ${unexplained.length}`);
  lines.push('');
  lines.push('### Per case');
  lines.push('');
  lines.push('| case | result | jobs | values agreeing | explanation |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const result of results) {
    const label =
      result.status === 'glci-failed'
        ? 'gitlab-ci-local failed'
        : result.status;
    const explanation =
      EXPLANATIONS[result.name]?.summary ??
      (result.status === 'agree' ? '' : 'not yet explained');
    lines.push(
      `| ${result.name} | ${label} | ${result.jobsCompared} | ${
        result.valuesAgreeing
      }/${result.valuesCompared} | ${escapeCell(explanation)} |`,
    );
  }
  lines.push('');
  lines.push('### Disagreements');
  lines.push('');
  for (const result of results.filter(r => r.status !== 'agree')) {
    lines.push(`#### ${result.name}`);
    lines.push('');
    const note = EXPLANATIONS[result.name];
    lines.push(note ? `${note.owner}: ${note.summary}` : 'Not yet explained.');
    lines.push('');
    if (result.glciError) {
      lines.push(
        `- gitlab-ci-local: ${escapeCell(truncate(result.glciError))}`,
      );
    }
    for (const difference of result.differences.slice(0, 8)) {
      lines.push(`- ${escapeCell(truncate(difference))}`);
    }
    if (result.differences.length > 8) {
      lines.push(`- … and ${result.differences.length - 8} more`);
    }
    for (const error of result.ourErrors.slice(0, 3)) {
      lines.push(`- ours reported ${escapeCell(truncate(error, 200))}`);
    }
    lines.push('');
  }
  lines.push(LINT_SECTION);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
