import { createMemoryReader } from './memoryReader';
import { resolvePipeline } from './resolvePipeline';

async function resolveText(text: string) {
  return resolvePipeline({ reader: createMemoryReader({}), rootText: text });
}

function job(pipeline: Awaited<ReturnType<typeof resolveText>>, name: string) {
  const found = pipeline.jobs.find(candidate => candidate.name === name);
  if (!found)
    throw new Error(
      `job ${name} not resolved; jobs: ${pipeline.jobs
        .map(j => j.name)
        .join(', ')}`,
    );
  return found;
}

describe('extends', () => {
  it('locates a value inherited from a hidden job', async () => {
    const pipeline = await resolveText(
      [
        '.cc7:',
        '  image: cern/cc7-base',
        'rpm:',
        '  extends: .cc7',
        '  script: [make rpm]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    const rpm = job(pipeline, 'rpm');
    expect(rpm.definition.image).toBe('cern/cc7-base');
    expect(rpm.locate(['image'])).toMatchObject({
      file: '.gitlab-ci.yml',
      line: 2,
    });
    expect(rpm.locate(['script', 0])).toMatchObject({ line: 5 });
    expect(rpm.extends).toEqual(['.cc7']);
    expect(rpm.definition).not.toHaveProperty('extends');
  });

  it('merges several parents deeply and replaces arrays', async () => {
    const pipeline = await resolveText(
      [
        '.base:',
        '  image: alpine',
        '  tags: [docker, big]',
        '  variables:',
        '    A: base',
        '    B: base',
        '  cache:',
        '    key: base',
        '    paths: [a, b]',
        '.k8s:',
        '  tags: [k8s-default]',
        '  variables:',
        '    B: k8s',
        '    C: k8s',
        '  cache:',
        '    paths: [c]',
        'build:',
        '  extends: [.base, .k8s]',
        '  variables:',
        '    C: job',
        '  script: [make]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    const build = job(pipeline, 'build');
    expect(build.definition.tags).toEqual(['k8s-default']);
    expect(build.definition.variables).toEqual({
      A: 'base',
      B: 'k8s',
      C: 'job',
    });
    expect(build.definition.cache).toEqual({ key: 'base', paths: ['c'] });
    expect(build.definition.image).toBe('alpine');
    expect(build.locate(['tags', 0])).toMatchObject({ line: 11 });
    expect(build.locate(['variables', 'A'])).toMatchObject({ line: 5 });
    expect(build.locate(['variables', 'B'])).toMatchObject({ line: 13 });
    expect(build.locate(['variables', 'C'])).toMatchObject({ line: 20 });
    expect(build.locate(['cache', 'key'])).toMatchObject({ line: 8 });
  });

  it('resolves multi-level chains', async () => {
    const pipeline = await resolveText(
      [
        '.a:',
        '  image: one',
        '  before_script: [setup]',
        '.b:',
        '  extends: .a',
        '  image: two',
        '.c:',
        '  extends: .b',
        '  tags: [cvmfs]',
        'test:',
        '  extends: .c',
        '  script: [run]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    const test = job(pipeline, 'test');
    expect(test.definition).toEqual({
      image: 'two',
      before_script: ['setup'],
      tags: ['cvmfs'],
      script: ['run'],
    });
    expect(test.locate(['before_script', 0])).toMatchObject({ line: 3 });
    expect(test.locate(['image'])).toMatchObject({ line: 6 });
  });

  it('reports a cycle and keeps the job', async () => {
    const pipeline = await resolveText(
      [
        '.a:',
        '  extends: .b',
        '  image: a',
        '.b:',
        '  extends: .a',
        '  tags: [b]',
        'job:',
        '  extends: .a',
        '  script: [x]',
      ].join('\n'),
    );
    const cycles = pipeline.errors.filter(
      error => error.code === 'extends-cycle',
    );
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles[0].message).toContain('.a');
    expect(cycles[0].location.line).toBeGreaterThan(0);
    expect(job(pipeline, 'job').definition.image).toBe('a');
  });

  it('reports an unknown parent with its line', async () => {
    const pipeline = await resolveText(
      ['job:', '  extends: .missing', '  script: [x]'].join('\n'),
    );
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'extends-missing',
        location: expect.objectContaining({ line: 2 }),
      }),
    ]);
    expect(pipeline.errors[0].message).toContain('.missing');
    expect(job(pipeline, 'job').definition.script).toEqual(['x']);
  });

  function chain(levels: number): string {
    const lines = ['.t0:', '  image: deepest'];
    for (let i = 1; i < levels; i++) {
      lines.push(`.t${i}:`, `  extends: .t${i - 1}`);
    }
    lines.push('job:', `  extends: .t${levels - 1}`, '  script: [x]');
    return lines.join('\n');
  }

  it('accepts eleven levels of extends', async () => {
    const pipeline = await resolveText(chain(11));
    expect(pipeline.errors).toEqual([]);
    expect(job(pipeline, 'job').definition.image).toBe('deepest');
  });

  it('rejects twelve levels of extends', async () => {
    const pipeline = await resolveText(chain(12));
    const depth = pipeline.errors.filter(
      error => error.code === 'extends-depth',
    );
    expect(depth).toHaveLength(1);
    expect(depth[0].message).toContain('11');
  });

  it('rejects a non-string extends entry', async () => {
    const pipeline = await resolveText(
      ['job:', '  extends: {a: 1}', '  script: [x]'].join('\n'),
    );
    expect(pipeline.errors.map(error => error.code)).toEqual([
      'invalid-config',
    ]);
    expect(pipeline.jobs).toHaveLength(1);
  });
});
