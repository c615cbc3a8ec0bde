import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_CODES, runCli } from './main';

async function project(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-fleet-ci-'));
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  }
  return root;
}

async function run(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: text => (stdout += text), stderr: text => (stderr += text), cwd });
  return { code, stdout, stderr };
}

const DATE = ['--date', '2026-12-01'];

describe('runner-fleet-ci check', () => {
  it('exits by level', async () => {
    const ready = await project({ '.gitlab-ci.yml': 'a:\n  script: [make]\n' });
    const warning = await project({ '.gitlab-ci.yml': 'a:\n  tags: [docker]\n  script: [make]\n' });
    const blocked = await project({ '.gitlab-ci.yml': 'a:\n  script: [ping -c1 db]\n' });
    expect((await run(['check', ready, ...DATE])).code).toBe(EXIT_CODES.ready);
    expect((await run(['check', warning, ...DATE])).code).toBe(EXIT_CODES['needs-changes']);
    expect((await run(['check', blocked, ...DATE])).code).toBe(EXIT_CODES.blocked);
    expect((await run(['check', warning, '--date', '2027-04-01'])).code).toBe(EXIT_CODES.blocked);
  });

  it('resolves the path against the working directory', async () => {
    const root = await project({ 'sub/.gitlab-ci.yml': 'a:\n  script: [make]\n' });
    const result = await run(['check', 'sub', ...DATE], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 job checked');
  });

  it('exits 4 on CI configuration errors', async () => {
    const root = await project({ '.gitlab-ci.yml': 'a:\n  script: [make\n' });
    const result = await run(['check', root, ...DATE]);
    expect(result.code).toBe(EXIT_CODES.ciConfigError);
    expect(result.stdout).toContain('configuration error (yaml-syntax)');
  });

  it('exits 3 on bad usage and invalid files', async () => {
    const root = await project({
      '.gitlab-ci.yml': 'a:\n  script: [make]\n',
      'bad-config.yaml': 'decommissionDate: soon\n',
      'bad-rules.yaml': 'rules:\n  - id: x\n',
    });
    expect((await run(['check', path.join(root, 'missing')])).code).toBe(EXIT_CODES.usage);
    expect((await run(['check', root, '--format', 'xml'])).code).toBe(EXIT_CODES.usage);
    const config = await run(['check', root, '--config', path.join(root, 'bad-config.yaml')]);
    expect(config.code).toBe(EXIT_CODES.usage);
    expect(config.stderr).toContain('bad-config.yaml at decommissionDate (line 1)');
    const rules = await run(['check', root, '--rules', path.join(root, 'bad-rules.yaml')]);
    expect(rules.code).toBe(EXIT_CODES.usage);
    expect(rules.stderr).toContain('rules[0].severity');
    expect((await run(['check', root, '--date', '01/02/2027'])).stderr).toContain('YYYY-MM-DD');
  });

  it('reads waivers from .runner-fleet.yaml and rejects invalid ones', async () => {
    const root = await project({
      '.gitlab-ci.yml': 'a:\n  script: [ping -c1 db]\n',
      '.runner-fleet.yaml': 'waivers:\n  - rule: raw-socket-tool\n    reason: replaced by nc next week\n    expires: 2027-01-15\n',
    });
    const waived = await run(['check', root, ...DATE]);
    expect(waived.code).toBe(EXIT_CODES.ready);
    expect(waived.stdout).toContain('waived until 2027-01-15');
    const expired = await run(['check', root, '--date', '2027-02-01']);
    expect(expired.code).toBe(EXIT_CODES.blocked);
    expect(expired.stdout).toContain('expired on 2027-01-15');

    await fs.writeFile(path.join(root, '.runner-fleet.yaml'), 'waivers:\n  - rule: raw-socket-tool\n    expires: 2027-01-15\n');
    const invalid = await run(['check', root, ...DATE]);
    expect(invalid.code).toBe(EXIT_CODES.usage);
    expect(invalid.stderr).toContain('waivers[0].reason');
  });

  it('uses --config tag meanings and --rules', async () => {
    const root = await project({
      '.gitlab-ci.yml': 'a:\n  tags: [vm]\n  image: alpine:latest\n  script: [make]\n',
      'config.yaml': 'tags:\n  legacy: [vm]\n',
      'rules.yaml': 'rules:\n  - id: no-latest\n    severity: blocker\n    title: t\n    rationale: r\n    fix: f\n    match: { image: ":latest$" }\n',
    });
    const result = await run(['check', root, ...DATE, '--config', path.join(root, 'config.yaml'), '--rules', path.join(root, 'rules.yaml'), '--format', 'json']);
    const report = JSON.parse(result.stdout);
    const ids = report.findings.map((finding: { ruleId: string }) => finding.ruleId);
    expect(ids).toContain('legacy-docker-tag');
    expect(ids).toContain('no-latest');
    expect(result.code).toBe(EXIT_CODES.blocked);
  });

  it('writes reports to --output', async () => {
    const root = await project({ '.gitlab-ci.yml': 'a:\n  tags: [docker]\n  script: [make]\n' });
    const output = path.join(root, 'gl-code-quality-report.json');
    const result = await run(['check', root, ...DATE, '--format', 'codequality', '--output', output]);
    expect(result.stdout).toBe('');
    const issues = JSON.parse(await fs.readFile(output, 'utf8'));
    expect(issues[0]).toMatchObject({ check_name: 'legacy-docker-tag', severity: 'major' });
  });

  it('applies fixes with --fix and keeps the rest of the file', async () => {
    const original = '# CI\ncompile:\n  tags:\n    - docker   # old fleet\n    - big\n  script:\n    - make   # build\n';
    const root = await project({ '.gitlab-ci.yml': original });
    const result = await run(['check', root, ...DATE, '--fix']);
    expect(result.stderr).toContain('Applied 1 automatic fix in 1 file');
    const updated = await fs.readFile(path.join(root, '.gitlab-ci.yml'), 'utf8');
    expect(updated).toBe('# CI\ncompile:\n  tags:\n    - big\n  script:\n    - make   # build\n');
    expect(result.code).toBe(EXIT_CODES.ready);
  });
});

describe('runner-fleet-ci rules', () => {
  it('lists the catalogue', async () => {
    const result = await run(['rules', '--json']);
    const rules = JSON.parse(result.stdout);
    expect(rules.length).toBeGreaterThanOrEqual(24);
    expect(new Set(rules.map((rule: { id: string }) => rule.id)).size).toBe(rules.length);
  });
});

describe('runner-fleet-ci output errors', () => {
  it('exits 3 when the report cannot be written', async () => {
    const root = await project({ '.gitlab-ci.yml': 'a:\n  script: [make]\n' });
    const result = await run(['check', root, '--output', path.join(root, 'missing-folder', 'report.json')]);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain('Writing the report');
    expect(result.stderr).toContain('missing-folder');
  });
});
