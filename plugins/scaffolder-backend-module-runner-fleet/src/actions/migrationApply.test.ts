import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createRecordingContext } from '../__testUtils__/context';
import { createMigrationApplyAction } from './migrationApply';

const action = createMigrationApplyAction();

const PIPELINE = `# Pipeline of physics/atlas-analysis
stages: [build, test]

build:
  stage: build
  image: gcc:13
  tags:
    - docker # legacy fleet
  script:
    - make

integration:
  stage: test
  image: docker:24
  services:
    - docker:24-dind
  tags: [docker]
  script:
    - docker build -t test .

lint:
  stage: test
  tags:
    - k8s-default
  script:
    - make lint
`;

async function workspaceWith(files: Record<string, string>) {
  const { ctx, record, workspacePath } = createRecordingContext({
    input: { sourcePath: 'project', projectPath: 'physics/atlas-analysis' },
  });
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(workspacePath, 'project', name);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text, 'utf8');
  }
  return { ctx, record, root: path.join(workspacePath, 'project') };
}

describe('runner-fleet:migration:apply', () => {
  it('removes legacy and opt-in tags from ready jobs only', async () => {
    const { ctx, record, root } = await workspaceWith({ '.gitlab-ci.yml': PIPELINE });
    await action.handler(ctx);

    const updated = await fs.readFile(path.join(root, '.gitlab-ci.yml'), 'utf8');
    const parsed = parseYaml(updated);
    expect(parsed.build.tags ?? []).toEqual([]);
    expect(parsed.lint.tags ?? []).toEqual([]);
    expect(parsed.integration.tags).toEqual(['docker']);
    expect(updated).toContain('# Pipeline of physics/atlas-analysis');
    expect(record.outputs.changedFiles).toEqual(['.gitlab-ci.yml']);
    expect(record.outputs.hasChanges).toBe(true);
    expect(record.outputs.appliedCount).toBe(2);
    // The integration job still uses docker-in-docker, so the level stays
    // blocked and the score stays under the blocked ceiling.
    expect(record.outputs.levelAfter).toBe('blocked');
    expect(record.outputs.scoreAfter as number).toBeGreaterThanOrEqual(record.outputs.scoreBefore as number);
  });

  it('lists what changed and what needs a person', async () => {
    const { ctx, record } = await workspaceWith({ '.gitlab-ci.yml': PIPELINE });
    await action.handler(ctx);
    const description = record.outputs.mergeRequestDescription as string;

    expect(description).toContain('for `physics/atlas-analysis`');
    expect(description).toContain('Remove the `docker` tag from job "build".');
    expect(description).toContain('Remove the `k8s-default` tag from job "lint".');
    expect(description).toMatch(/### Needs a person\n\n(.|\n)*job `integration`/);
    expect(description).toContain("The tag stays until the job's blockers are fixed.");
    expect(record.outputs.remainingCount as number).toBeGreaterThan(0);
  });

  it('leaves legacy tags when switching is off', async () => {
    const { ctx, record, root } = await workspaceWith({ '.gitlab-ci.yml': PIPELINE });
    ctx.input.switchLegacyTags = false;
    await action.handler(ctx);

    const parsed = parseYaml(await fs.readFile(path.join(root, '.gitlab-ci.yml'), 'utf8'));
    expect(parsed.build.tags).toEqual(['docker']);
    expect(parsed.lint.tags ?? []).toEqual([]);
    expect(record.outputs.appliedCount).toBe(1);
  });

  it('writes only changed files to outputPath', async () => {
    const { ctx, record, root } = await workspaceWith({
      '.gitlab-ci.yml': 'include:\n  - local: ci/build.yml\n',
      'ci/build.yml': 'build:\n  tags: [docker]\n  script: [make]\n',
      'README.md': '# project\n',
    });
    ctx.input.outputPath = 'changes';
    await action.handler(ctx);

    const changes = path.join(root, '..', 'changes');
    expect(await fs.readdir(changes)).toEqual(['ci']);
    const fixed = parseYaml(await fs.readFile(path.join(changes, 'ci/build.yml'), 'utf8'));
    expect(fixed.build.tags ?? []).toEqual([]);
    expect(await fs.readFile(path.join(root, 'ci/build.yml'), 'utf8')).toContain('[docker]');
    expect(record.outputs.changedFiles).toEqual(['ci/build.yml']);
    expect(record.outputs.scoreAfter as number).toBeGreaterThan(record.outputs.scoreBefore as number);
  });

  it('reports a ready pipeline without changes', async () => {
    const { ctx, record } = await workspaceWith({
      '.gitlab-ci.yml': 'test:\n  image: alpine:3.20\n  script:\n    - echo ok\n',
    });
    await action.handler(ctx);

    expect(record.outputs.hasChanges).toBe(false);
    expect(record.outputs.changedFiles).toEqual([]);
    expect(record.outputs.levelAfter).toBe('ready');
    expect(record.outputs.mergeRequestDescription).toContain('Nothing: the pipeline is ready');
  });

  it('fails clearly without a CI file', async () => {
    const { ctx } = await workspaceWith({ 'README.md': '# no CI here\n' });

    await expect(action.handler(ctx)).rejects.toThrow(
      'rootFile .gitlab-ci.yml was not found in project; fetch the project first or set rootFile',
    );
  });

  it('refuses a sourcePath outside the workspace', async () => {
    const { ctx } = await workspaceWith({ '.gitlab-ci.yml': PIPELINE });
    ctx.input.sourcePath = '../..';

    await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
  });
});
