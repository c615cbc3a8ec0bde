import { createMemoryReader } from './memoryReader';
import { resolvePipeline } from './resolvePipeline';

async function resolveText(text: string) {
  return resolvePipeline({ reader: createMemoryReader({}), rootText: text });
}

describe('!reference', () => {
  it('flattens references inside script lists', async () => {
    const pipeline = await resolveText(
      [
        '.setup:',
        '  script:',
        '    - export PATH=/cvmfs/sft.cern.ch/bin:$PATH',
        '    - source setup.sh',
        'test:',
        '  script:',
        '    - !reference [.setup, script]',
        '    - make test',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    const [test] = pipeline.jobs;
    expect(test.definition.script).toEqual([
      'export PATH=/cvmfs/sft.cern.ch/bin:$PATH',
      'source setup.sh',
      'make test',
    ]);
    expect(test.locate(['script', 0])).toMatchObject({ line: 3 });
    expect(test.locate(['script', 1])).toMatchObject({ line: 4 });
    expect(test.locate(['script', 2])).toMatchObject({ line: 8 });
  });

  it('resolves references nested in referenced lists', async () => {
    const pipeline = await resolveText(
      [
        '.a:',
        '  script: [one]',
        '.b:',
        '  script:',
        '    - !reference [.a, script]',
        '    - two',
        'job:',
        '  script:',
        '    - !reference [.b, script]',
        '    - three',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].definition.script).toEqual(['one', 'two', 'three']);
  });

  it('reads values after extends is applied', async () => {
    const pipeline = await resolveText(
      [
        '.base:',
        '  variables: {IMAGE_TAG: cc7}',
        '.child:',
        '  extends: .base',
        'job:',
        '  variables:',
        '    TAG: !reference [.child, variables, IMAGE_TAG]',
        '  script: [x]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].definition.variables).toEqual({ TAG: 'cc7' });
    expect(pipeline.jobs[0].locate(['variables', 'TAG'])).toMatchObject({
      line: 2,
    });
  });

  it('reports a missing target and drops it', async () => {
    const pipeline = await resolveText(
      [
        'job:',
        '  script:',
        '    - !reference [.nothing, script]',
        '    - make',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'reference-missing',
        location: expect.objectContaining({ line: 3 }),
      }),
    ]);
    expect(pipeline.errors[0].message).toContain('.nothing');
    expect(pipeline.jobs[0].definition.script).toEqual(['make']);
  });

  it('reports a reference to itself', async () => {
    const pipeline = await resolveText(
      ['job:', '  script:', '    - !reference [job, script]'].join('\n'),
    );
    expect(pipeline.errors.map(error => error.code)).toContain(
      'reference-missing',
    );
  });
});

describe('default and inherit', () => {
  const config = [
    'variables:',
    '  GLOBAL: g',
    '  OTHER: o',
    'default:',
    '  image: registry.example.org/cc7',
    '  before_script: [setup]',
    '  tags: [k8s-default]',
    '  retry: 2',
    'plain:',
    '  script: [x]',
    'own-image:',
    '  image: alpine',
    '  script: [x]',
    'no-defaults:',
    '  inherit:',
    '    default: false',
    '    variables: false',
    '  script: [x]',
    'some-defaults:',
    '  inherit:',
    '    default: [tags]',
    '    variables: [OTHER]',
    '  variables:',
    '    OWN: j',
    '  script: [x]',
    '.hidden:',
    '  script: [x]',
  ].join('\n');

  it('applies default keys the job does not set', async () => {
    const pipeline = await resolveText(config);
    expect(pipeline.errors).toEqual([]);
    const plain = pipeline.jobs.find(job => job.name === 'plain')!;
    expect(plain.definition).toEqual({
      script: ['x'],
      image: 'registry.example.org/cc7',
      before_script: ['setup'],
      tags: ['k8s-default'],
      retry: 2,
    });
    expect(plain.locate(['image'])).toMatchObject({ line: 5 });
    expect(plain.locate(['tags', 0])).toMatchObject({ line: 7 });
    expect(plain.effectiveVariables).toEqual({ GLOBAL: 'g', OTHER: 'o' });
  });

  it('lets the job override a default', async () => {
    const pipeline = await resolveText(config);
    const job = pipeline.jobs.find(
      candidate => candidate.name === 'own-image',
    )!;
    expect(job.definition.image).toBe('alpine');
    expect(job.locate(['image'])).toMatchObject({ line: 12 });
  });

  it('honours inherit false', async () => {
    const pipeline = await resolveText(config);
    const job = pipeline.jobs.find(
      candidate => candidate.name === 'no-defaults',
    )!;
    expect(job.definition.image).toBeUndefined();
    expect(job.definition.tags).toBeUndefined();
    expect(job.effectiveVariables).toEqual({});
  });

  it('honours inherit lists', async () => {
    const pipeline = await resolveText(config);
    const job = pipeline.jobs.find(
      candidate => candidate.name === 'some-defaults',
    )!;
    expect(job.definition.tags).toEqual(['k8s-default']);
    expect(job.definition.image).toBeUndefined();
    expect(job.effectiveVariables).toEqual({ OTHER: 'o', OWN: 'j' });
  });

  it('excludes hidden jobs and reserved keys', async () => {
    const pipeline = await resolveText(config);
    expect(pipeline.jobs.map(job => job.name)).toEqual([
      'plain',
      'own-image',
      'no-defaults',
      'some-defaults',
    ]);
    expect(pipeline.variables).toEqual({ GLOBAL: 'g', OTHER: 'o' });
  });

  it('reads deprecated top-level keys as defaults', async () => {
    const pipeline = await resolveText(
      [
        'image: cern/cc7-base',
        'services: [docker:dind]',
        'before_script: [prepare]',
        'build:',
        '  script: [make]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => job.name)).toEqual(['build']);
    expect(pipeline.jobs[0].definition).toMatchObject({
      image: 'cern/cc7-base',
      services: ['docker:dind'],
      before_script: ['prepare'],
    });
    expect(pipeline.jobs[0].locate(['image'])).toMatchObject({ line: 1 });
  });

  it('rejects a key set at top level and in default', async () => {
    const pipeline = await resolveText(
      [
        'image: old',
        'default:',
        '  image: new',
        'build:',
        '  script: [make]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'invalid-config',
        location: expect.objectContaining({ line: 1 }),
      }),
    ]);
    expect(pipeline.jobs[0].definition.image).toBe('new');
  });

  it('turns a string script into a list', async () => {
    const pipeline = await resolveText(
      ['build:', '  script: make all'].join('\n'),
    );
    expect(pipeline.jobs[0].definition.script).toEqual(['make all']);
    expect(pipeline.jobs[0].locate(['script', 0])).toMatchObject({ line: 2 });
  });

  it('reports a job without script', async () => {
    const pipeline = await resolveText(
      ['build:', '  image: alpine'].join('\n'),
    );
    expect(pipeline.errors).toEqual([
      expect.objectContaining({ code: 'invalid-config' }),
    ]);
    expect(pipeline.errors[0].message).toContain('build');
  });

  it('reports a configuration without visible jobs', async () => {
    const pipeline = await resolveText(
      ['.only-template:', '  script: [x]'].join('\n'),
    );
    expect(pipeline.jobs).toEqual([]);
    expect(pipeline.errors).toEqual([
      expect.objectContaining({ code: 'invalid-config' }),
    ]);
  });
});
