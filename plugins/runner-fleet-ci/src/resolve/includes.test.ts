import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDirectoryReader } from './directoryReader';
import { createMemoryReader } from './memoryReader';
import { resolvePipeline } from './resolvePipeline';
import type { IncludeReader } from './types';

async function writeTree(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'rf-ci-includes-'));
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  }
  return root;
}

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(
    roots.map(root => fs.rm(root, { recursive: true, force: true })),
  );
});

async function project(files: Record<string, string>): Promise<string> {
  const root = await writeTree(files);
  roots.push(root);
  return root;
}

describe('include', () => {
  it('resolves nested local includes across folders', async () => {
    const root = await project({
      '.gitlab-ci.yml': [
        'include:',
        '  - local: ci/build.yml',
        'test:',
        '  extends: .cc7',
        '  script: [make test]',
      ].join('\n'),
      'ci/build.yml': [
        'include: /ci/templates/cc7.yml',
        'build:',
        '  extends: .cc7',
        '  script: [make]',
        '  tags: [docker]',
      ].join('\n'),
      'ci/templates/cc7.yml': ['.cc7:', '  image: cern/cc7-base'].join('\n'),
    });
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(root),
    });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['build', 'test']);
    const build = pipeline.jobs[0];
    expect(build.locate(['tags', 0])).toMatchObject({
      file: 'ci/build.yml',
      line: 5,
    });
    expect(build.locate(['image'])).toMatchObject({
      file: 'ci/templates/cc7.yml',
      line: 2,
    });
    expect(build.location).toMatchObject({ file: 'ci/build.yml', line: 2 });
    expect(pipeline.files.map(file => file.file)).toEqual([
      '.gitlab-ci.yml',
      'ci/build.yml',
      'ci/templates/cc7.yml',
    ]);
    expect(pipeline.files[1].includedFrom).toMatchObject({
      file: '.gitlab-ci.yml',
      line: 2,
    });
  });

  it('normalises ./ and leading / in local paths', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': 'include:\n  - ./ci/a.yml\n  - local: /ci/./b.yml\n',
      'ci/a.yml': 'a:\n  script: [x]\n',
      'ci/b.yml': 'b:\n  script: [x]\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.files.map(file => file.file)).toEqual([
      '.gitlab-ci.yml',
      'ci/a.yml',
      'ci/b.yml',
    ]);
  });

  it('lets the including file override included keys', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include: base.yml',
        'build:',
        '  tags: [k8s-default]',
      ].join('\n'),
      'base.yml': [
        'build:',
        '  tags: [docker]',
        '  image: alpine',
        '  script: [make]',
      ].join('\n'),
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].definition).toEqual({
      tags: ['k8s-default'],
      image: 'alpine',
      script: ['make'],
    });
    expect(pipeline.jobs[0].locate(['tags', 0])).toMatchObject({
      file: '.gitlab-ci.yml',
      line: 3,
    });
    expect(pipeline.jobs[0].locate(['image'])).toMatchObject({
      file: 'base.yml',
      line: 3,
    });
  });

  it('reads project, template and allowed remote includes', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - project: platform/ci-templates',
        '    ref: v2',
        '    file: [/k8s.yml, cvmfs.yml]',
        '  - template: Docker.gitlab-ci.yml',
        '  - remote: https://ci.example.org/shared.yml',
        '  - https://ci.example.org/other.yml',
        'job:',
        '  extends: [.k8s, .cvmfs]',
        '  script: [x]',
      ].join('\n'),
      'project:platform/ci-templates:k8s.yml@v2':
        '.k8s:\n  tags: [k8s-default]\n',
      'project:platform/ci-templates:cvmfs.yml@v2':
        '.cvmfs:\n  variables: {CVMFS: "yes"}\n  include_local_marker: true\n',
      'template:Docker.gitlab-ci.yml':
        'docker-build:\n  image: docker:cli\n  services: [docker:dind]\n  script: [docker build .]\n',
      'remote:https://ci.example.org/shared.yml':
        'shared:\n  script: [echo shared]\n',
      'remote:https://ci.example.org/other.yml':
        'other:\n  script: [echo other]\n',
    });
    const pipeline = await resolvePipeline({
      reader,
      allowedRemoteHosts: ['ci.example.org'],
    });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual([
      'docker-build',
      'shared',
      'other',
      'job',
    ]);
    const job = pipeline.jobs[3];
    expect(job.definition.tags).toEqual(['k8s-default']);
    expect(job.locate(['tags', 0])).toMatchObject({
      file: 'project:platform/ci-templates:k8s.yml@v2',
      line: 2,
    });
    expect(pipeline.jobs[0].locate(['image'])).toMatchObject({
      file: 'template:Docker.gitlab-ci.yml',
    });
    expect(pipeline.jobs[1].location).toMatchObject({
      file: 'remote:https://ci.example.org/shared.yml',
    });
  });

  it('reads local includes of a project file from that project', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  project: platform/ci',
        '  file: main.yml',
        'job:',
        '  extends: .inner',
        '  script: [x]',
      ].join('\n'),
      'project:platform/ci:main.yml': 'include:\n  local: inner.yml\n',
      'project:platform/ci:inner.yml': '.inner:\n  image: from-project\n',
      'inner.yml': '.inner:\n  image: from-root-project\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].definition.image).toBe('from-project');
  });

  it('does not fetch remote includes from other hosts', async () => {
    const fetched: string[] = [];
    const base = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - remote: https://evil.example.net/x.yml',
        'job:',
        '  script: [x]',
      ].join('\n'),
    });
    const reader: IncludeReader = {
      ...base,
      readRemote: async url => {
        fetched.push(url);
        return 'hijack:\n  script: [curl evil]\n';
      },
    };
    const pipeline = await resolvePipeline({
      reader,
      allowedRemoteHosts: ['ci.example.org'],
    });
    expect(fetched).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['job']);
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'include-not-allowed',
        location: expect.objectContaining({ line: 2 }),
      }),
    ]);
    expect(pipeline.errors[0].message).toContain(
      'https://evil.example.net/x.yml',
    );
    expect(pipeline.errors[0].message).toContain('allowedRemoteHosts');
  });

  it('reports missing templates and projects by name', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - template: Nothing.gitlab-ci.yml',
        '  - project: group/none',
        '    file: ci.yml',
        '  - local: absent.yml',
        'job:',
        '  script: [x]',
      ].join('\n'),
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors.map(error => error.code)).toEqual([
      'include-missing',
      'include-missing',
      'include-missing',
    ]);
    expect(pipeline.errors[0].message).toContain('Nothing.gitlab-ci.yml');
    expect(pipeline.errors[1].message).toContain('group/none');
    expect(pipeline.errors[2].message).toContain('absent.yml');
    expect(pipeline.errors.map(error => error.location.line)).toEqual([
      2, 3, 5,
    ]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['job']);
  });

  it('reports an include cycle', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': 'include: a.yml\njob:\n  script: [x]\n',
      'a.yml': 'include: b.yml\n.a:\n  image: a\n',
      'b.yml': 'include: a.yml\n.b:\n  image: b\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'include-cycle',
        location: expect.objectContaining({ file: 'b.yml', line: 1 }),
      }),
    ]);
    expect(pipeline.errors[0].message).toContain(
      '.gitlab-ci.yml -> a.yml -> b.yml -> a.yml',
    );
    expect(pipeline.jobs).toHaveLength(1);
  });

  it('merges a file included twice outside a chain once', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': 'include: [a.yml, b.yml]\njob:\n  script: [x]\n',
      'a.yml': 'include: common.yml\n',
      'b.yml': 'include: common.yml\n',
      'common.yml': 'common:\n  script: [c]\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(
      pipeline.files.filter(file => file.file === 'common.yml'),
    ).toHaveLength(1);
  });

  it('stops after 150 included files', async () => {
    const files: Record<string, string> = {};
    const list = Array.from({ length: 151 }, (_, i) => `  - f${i}.yml`);
    files['.gitlab-ci.yml'] = [
      'include:',
      ...list,
      'job:',
      '  script: [x]',
    ].join('\n');
    for (let i = 0; i < 151; i++)
      files[`f${i}.yml`] = `job${i}:\n  script: [x]\n`;
    const pipeline = await resolvePipeline({
      reader: createMemoryReader(files),
    });
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'include-limit',
        location: expect.objectContaining({ line: 152 }),
      }),
    ]);
    expect(pipeline.errors[0].message).toContain('f150.yml');
    expect(pipeline.jobs).toHaveLength(151);
    expect(pipeline.files).toHaveLength(151);
  }, 60_000);

  it('accepts exactly 150 included files', async () => {
    const files: Record<string, string> = {};
    files['.gitlab-ci.yml'] = [
      'include:',
      ...Array.from({ length: 150 }, (_, i) => `  - f${i}.yml`),
    ].join('\n');
    for (let i = 0; i < 150; i++)
      files[`f${i}.yml`] = `job${i}:\n  script: [x]\n`;
    const pipeline = await resolvePipeline({
      reader: createMemoryReader(files),
    });
    expect(pipeline.errors).toEqual([]);
  }, 60_000);

  it('rejects files over the size limit', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': 'include: big.yml\njob:\n  script: [x]\n',
      'big.yml': `big:\n  script: ["${'x'.repeat(2000)}"]\n`,
    });
    const pipeline = await resolvePipeline({ reader, maxFileBytes: 1000 });
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'file-too-large',
        location: expect.objectContaining({ file: '.gitlab-ci.yml', line: 1 }),
      }),
    ]);
    expect(pipeline.errors[0].message).toContain('big.yml');
    expect(pipeline.jobs.map(job => job.name)).toEqual(['job']);
  });

  it('expands project variables in include paths', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'variables:',
        '  CI_DIR: ci',
        'include:',
        '  - project: $CI_PROJECT_NAMESPACE/templates',
        '    file: /$CI_DIR/$CI_PROJECT_NAME.yml',
        '  - local: $UNKNOWN/x.yml',
      ].join('\n'),
      'project:physics/templates:ci/detector-sim.yml':
        'sim:\n  script: [run]\n',
    });
    const pipeline = await resolvePipeline({
      reader,
      projectPath: 'physics/detector-sim',
    });
    expect(pipeline.jobs.map(job => job.name)).toEqual(['sim']);
    expect(pipeline.errors).toEqual([
      expect.objectContaining({ code: 'include-missing' }),
    ]);
    expect(pipeline.errors[0].message).toContain('$UNKNOWN');
  });

  it('applies include rules that can be evaluated offline', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - local: never.yml',
        '    rules:',
        '      - when: never',
        '  - local: on-gitlab.yml',
        '    rules:',
        '      - if: $GITLAB_CI == "true"',
        '  - local: off-gitlab.yml',
        '    rules:',
        '      - if: $GITLAB_CI == "false"',
        '  - local: tagged.yml',
        '    rules:',
        '      - if: $CI_COMMIT_TAG',
        '  - local: exists.yml',
        '    rules:',
        '      - exists: [Dockerfile]',
        '  - local: missing.yml',
        '    rules:',
        '      - exists: [Makefile]',
      ].join('\n'),
      'never.yml': 'never:\n  script: [x]\n',
      'on-gitlab.yml': 'on-gitlab:\n  script: [x]\n',
      'off-gitlab.yml': 'off-gitlab:\n  script: [x]\n',
      'tagged.yml': 'tagged:\n  script: [x]\n',
      'exists.yml': 'exists:\n  script: [x]\n',
      'missing.yml': 'missing:\n  script: [x]\n',
      Dockerfile: 'FROM alpine\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual([
      'on-gitlab',
      'tagged',
      'exists',
    ]);
  });
});

describe('spec inputs', () => {
  const template = [
    'spec:',
    '  inputs:',
    '    stage:',
    '      default: test',
    '    replicas:',
    '      type: number',
    '      default: 1',
    '    cvmfs:',
    '      type: boolean',
    '      default: false',
    '    environment:',
    '      options: [dev, production]',
    '    repos:',
    '      type: array',
    '      default: [sft.cern.ch]',
    '---',
    'deploy-$[[ inputs.environment ]]:',
    '  stage: $[[ inputs.stage ]]',
    '  variables:',
    '    REPLICAS: $[[ inputs.replicas ]]',
    '    CVMFS: $[[ inputs.cvmfs ]]',
    '    REPOS: $[[ inputs.repos ]]',
    '    SHORT: $[[ inputs.environment | truncate(0,3) ]]',
    '  script:',
    '    - echo "deploy $[[ inputs.replicas ]] to $[[ inputs.environment ]]"',
  ].join('\n');

  it('interpolates typed inputs with defaults', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - local: deploy.yml',
        '    inputs:',
        '      environment: production',
        '      replicas: 5',
      ].join('\n'),
      'deploy.yml': template,
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['deploy-production']);
    expect(pipeline.jobs[0].definition).toEqual({
      stage: 'test',
      variables: {
        REPLICAS: 5,
        CVMFS: false,
        REPOS: ['sft.cern.ch'],
        SHORT: 'pro',
      },
      script: ['echo "deploy 5 to production"'],
    });
    expect(pipeline.jobs[0].locate(['script', 0])).toMatchObject({
      file: 'deploy.yml',
      line: 25,
    });
  });

  it('reports wrong, missing and unknown inputs', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - local: deploy.yml',
        '    inputs:',
        '      environment: staging',
        '      replicas: five',
        '      colour: blue',
        '  - local: deploy.yml',
      ].join('\n'),
      'deploy.yml': template,
    });
    const pipeline = await resolvePipeline({ reader });
    const messages = pipeline.errors.map(error => error.message);
    expect(
      pipeline.errors.every(error => error.code === 'invalid-config'),
    ).toBe(true);
    expect(messages.some(message => message.includes('"colour"'))).toBe(true);
    expect(
      messages.some(
        message => message.includes('"staging"') && message.includes('options'),
      ),
    ).toBe(true);
    expect(
      messages.some(
        message => message.includes('"replicas"') && message.includes('number'),
      ),
    ).toBe(true);
    expect(
      messages.some(
        message =>
          message.includes('"environment"') && message.includes('required'),
      ),
    ).toBe(true);
  });

  it('reads components with inputs', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - component: gitlab.example.org/platform/components/deploy@1.2.0',
        '    inputs:',
        '      environment: dev',
      ].join('\n'),
      'component:gitlab.example.org/platform/components/deploy@1.2.0': template,
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].name).toBe('deploy-dev');
    expect(pipeline.jobs[0].location.file).toBe(
      'component:gitlab.example.org/platform/components/deploy@1.2.0',
    );
  });

  it('reads a component of the same project from templates', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': [
        'include:',
        '  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA',
        '    inputs: {environment: dev}',
      ].join('\n'),
      'templates/deploy.yml': template,
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].location.file).toBe('templates/deploy.yml');
  });

  it('leaves interpolation alone in files without a header', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': 'job:\n  script: ["echo $[[ inputs.x ]]"]\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].definition.script).toEqual([
      'echo $[[ inputs.x ]]',
    ]);
  });
});

describe('createDirectoryReader', () => {
  it('rejects paths that leave the root', async () => {
    const outside = await project({ 'secret.yml': 'stolen:\n  script: [x]\n' });
    const root = await project({
      '.gitlab-ci.yml': [
        'include:',
        `  - local: ../${path.basename(outside)}/secret.yml`,
        '  - local: link.yml',
        'job:',
        '  script: [x]',
      ].join('\n'),
    });
    await fs.symlink(
      path.join(outside, 'secret.yml'),
      path.join(root, 'link.yml'),
    );
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(root),
    });
    expect(pipeline.jobs.map(job => job.name)).toEqual(['job']);
    expect(pipeline.errors.map(error => error.code)).toEqual([
      'include-not-allowed',
      'include-not-allowed',
    ]);
    expect(pipeline.errors.map(error => error.location.line)).toEqual([2, 3]);
    expect(pipeline.errors[0].message).toContain('leaves the project root');
  });

  it('expands wildcard includes', async () => {
    const root = await project({
      '.gitlab-ci.yml': 'include: ci/*.yml\n',
      'ci/a.yml': 'a:\n  script: [x]\n',
      'ci/b.yml': 'b:\n  script: [x]\n',
      'ci/nested/c.yml': 'c:\n  script: [x]\n',
    });
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(root),
    });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['a', 'b']);
  });

  it('reads templates and project checkouts from folders', async () => {
    const templates = await project({
      'Docker.gitlab-ci.yml': 'docker:\n  script: [x]\n',
    });
    const projects = await project({
      'platform/ci/k8s.yml': 'k8s:\n  script: [x]\n',
    });
    const root = await project({
      '.gitlab-ci.yml':
        'include:\n  - template: Docker.gitlab-ci.yml\n  - project: platform/ci\n    file: k8s.yml\n',
    });
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(root, {
        templatesDir: templates,
        projectsDir: projects,
      }),
    });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['docker', 'k8s']);
  });

  it('fetches remote includes through the injected fetch', async () => {
    const requested: string[] = [];
    const fakeFetch = (async (url: string) => {
      requested.push(url);
      return new Response('remote-job:\n  script: [x]\n', { status: 200 });
    }) as unknown as typeof fetch;
    const root = await project({
      '.gitlab-ci.yml': 'include: https://ci.example.org/a.yml\n',
    });
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(root, { fetch: fakeFetch }),
      allowedRemoteHosts: ['ci.example.org'],
    });
    expect(requested).toEqual(['https://ci.example.org/a.yml']);
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['remote-job']);
  });

  it('reports a missing root file', async () => {
    const root = await project({});
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(root),
    });
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'include-missing',
        location: { file: '.gitlab-ci.yml', line: 1 },
      }),
    ]);
  });
});
