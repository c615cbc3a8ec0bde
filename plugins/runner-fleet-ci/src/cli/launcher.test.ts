import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = path.resolve(__dirname, '../..');
const launcher = path.join(packageDir, 'bin/runner-fleet-ci');
const caseDir = path.join(packageDir, 'src/__fixtures__/cases/dind-build');

/** Runs the launcher in a child process and returns its exit code and output. */
async function launch(args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [launcher, ...args], {
      cwd: packageDir,
      env: { ...process.env, INIT_CWD: packageDir },
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe('bin/runner-fleet-ci', () => {
  it('runs from source without a build', async () => {
    const result = await launch(['check', caseDir, '--date', '2026-12-01', '--format', 'json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).level).toBe('blocked');
  });

  it('exits 3 on an unknown option', async () => {
    expect((await launch(['check', '--no-such-option'])).code).toBe(3);
  });
});
