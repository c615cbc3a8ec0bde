import { createMemoryReader } from './memoryReader';
import { resolvePipeline } from './resolvePipeline';

async function resolveText(
  text: string,
  options: { maxExpandedNodes?: number; maxAliasCount?: number } = {},
) {
  return resolvePipeline({
    reader: createMemoryReader({}),
    rootText: text,
    ...options,
  });
}

describe('YAML reading', () => {
  it('applies merge keys and locates values at the anchor', async () => {
    const pipeline = await resolveText(
      [
        '.tpl: &tpl',
        '  image: cern/cc7-base',
        '  tags: [docker]',
        'rpm:',
        '  <<: *tpl',
        '  script: [make]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    const [rpm] = pipeline.jobs;
    expect(rpm.definition).toEqual({
      image: 'cern/cc7-base',
      tags: ['docker'],
      script: ['make'],
    });
    expect(rpm.locate(['image'])).toMatchObject({ line: 2 });
    expect(rpm.locate(['tags', 0])).toMatchObject({ line: 3 });
  });

  it('applies repeated merge keys in order', async () => {
    // Psych, which GitLab uses, merges each `<<` as it comes, so the later
    // one wins and even replaces a key written before it.
    const pipeline = await resolveText(
      [
        '.a: &a {image: a, tags: [a]}',
        '.b: &b {image: b}',
        'job:',
        '  tags: [own]',
        '  <<: *a',
        '  <<: *b',
        '  script: [x]',
      ].join('\n'),
    );
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs[0].definition).toEqual({
      tags: ['a'],
      image: 'b',
      script: ['x'],
    });
  });

  it('lets the first map win in a merge list', async () => {
    const pipeline = await resolveText(
      [
        '.a: &a {image: a}',
        '.b: &b {image: b, tags: [b]}',
        'job:',
        '  <<: [*a, *b]',
        '  script: [x]',
      ].join('\n'),
    );
    expect(pipeline.jobs[0].definition).toEqual({
      image: 'a',
      tags: ['b'],
      script: ['x'],
    });
  });

  it('keeps a quoted << as a plain key', async () => {
    const pipeline = await resolveText(
      ['job:', '  variables:', "    '<<': literal", '  script: [x]'].join('\n'),
    );
    expect(pipeline.jobs[0].definition.variables).toEqual({ '<<': 'literal' });
  });

  it('keeps the last duplicate key with a warning', async () => {
    const pipeline = await resolveText(
      [
        'job:',
        '  script: [first]',
        'other:',
        '  script: [o]',
        'job:',
        '  script: [second]',
      ].join('\n'),
    );
    expect(pipeline.jobs.map(job => job.name)).toEqual(['job', 'other']);
    expect(pipeline.jobs[0].definition.script).toEqual(['second']);
    expect(pipeline.jobs[0].locate(['script', 0])).toMatchObject({ line: 6 });
    expect(pipeline.errors).toEqual([
      expect.objectContaining({
        code: 'duplicate-key',
        severity: 'warning',
        location: expect.objectContaining({ line: 5 }),
      }),
    ]);
  });

  it('reads YAML 1.1 booleans as Psych does', async () => {
    const pipeline = await resolveText(
      ['job:', '  interruptible: yes', '  script: [x]'].join('\n'),
    );
    expect(pipeline.jobs[0].definition.interruptible).toBe(true);
  });

  it('reports a syntax error with line and column', async () => {
    const pipeline = await resolveText(
      ['job:', '  script: [x', 'other: 1'].join('\n'),
    );
    expect(pipeline.jobs).toEqual([]);
    const syntax = pipeline.errors.filter(
      error => error.code === 'yaml-syntax',
    );
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0].location.file).toBe('.gitlab-ci.yml');
    expect(syntax[0].location.line).toBeGreaterThanOrEqual(2);
    expect(syntax[0].location.column).toBeGreaterThan(0);
  });

  it('stops an alias bomb quickly', async () => {
    const lines = [
      'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ];
    for (let i = 1; i < 30; i++) {
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    }
    lines.push('job:', '  script: *a29');
    // Expanded, this would be 10^30 values, so finishing at all shows the
    // guard works; docs/benchmarks.md records how long it takes.
    const pipeline = await resolveText(lines.join('\n'));
    expect(pipeline.errors.map(error => error.code)).toContain('alias-limit');
    expect(pipeline.jobs).toEqual([]);
  });

  it('stops a wide anchor reused many times', async () => {
    const wide = Array.from({ length: 2000 }, (_, i) => `  k${i}: v`).join(
      '\n',
    );
    const uses = Array.from({ length: 1000 }, (_, i) => `u${i}: *w`).join('\n');
    const pipeline = await resolveText(
      `w: &w\n${wide}\n${uses}\njob:\n  script: [x]\n`,
    );
    expect(pipeline.errors.map(error => error.code)).toContain('alias-limit');
  });

  it('rejects nesting deeper than GitLab allows', async () => {
    const deep = `${'['.repeat(150)}x${']'.repeat(150)}`;
    const pipeline = await resolveText(`job:\n  script: ${deep}\n`);
    expect(pipeline.errors.map(error => error.code)).toContain(
      'invalid-config',
    );
    expect(pipeline.errors[0].message).toContain('100');
  });

  it('reports an unknown alias', async () => {
    const pipeline = await resolveText(
      ['job:', '  script: *nothing'].join('\n'),
    );
    expect(pipeline.errors.length).toBeGreaterThan(0);
    expect(pipeline.errors[0].code).toBe('yaml-syntax');
  });

  it.each([
    ['an empty file', ''],
    ['a scalar', 'just text'],
    ['a list', '- a\n- b'],
    ['a null job', 'job:'],
    ['a numeric include', 'include: 5\njob:\n  script: [x]'],
    ['a map as key', '? [a, b]\n: c\njob:\n  script: [x]'],
    ['a second document', 'job:\n  script: [x]\n---\nother:\n  script: [y]'],
    ['a null default', 'default:\njob:\n  script: [x]'],
    ['an unknown tag', 'job:\n  script: !custom [x]'],
  ])('returns a located error for %s', async (_label, text) => {
    const pipeline = await resolveText(text);
    expect(pipeline.errors.length + pipeline.jobs.length).toBeGreaterThan(0);
    for (const error of pipeline.errors) {
      expect(error.location.file).toBe('.gitlab-ci.yml');
      expect(error.location.line).toBeGreaterThanOrEqual(1);
      expect(error.message.length).toBeGreaterThan(20);
    }
  });
});
