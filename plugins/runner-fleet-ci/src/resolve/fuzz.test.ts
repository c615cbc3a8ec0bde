import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createMemoryReader } from './memoryReader';
import { resolvePipeline } from './resolvePipeline';

const corpusDir = path.resolve(
  __dirname,
  '../../../../fixtures/corpus/gitlab-ci',
);

/** A small deterministic generator (mulberry32), so failures can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = [
  '<<: *x',
  '!reference [a]',
  '&a',
  '*a',
  'include: x.yml',
  'extends: [.a, .a]',
  ': :',
  '- - -',
  '"',
  "'",
  '{',
  '[',
  '$[[ inputs.x ]]',
  '\t',
  '---',
  'spec: {inputs: {x: {type: number}}}',
];

describe('resolver on mutated corpus files', () => {
  it('never throws and always locates its errors', async () => {
    const rows = (
      await fs.readFile(path.join(corpusDir, 'SOURCES.tsv'), 'utf8')
    )
      .trim()
      .split('\n')
      .slice(1);
    const next = random(20261204);
    let runs = 0;
    for (const row of rows) {
      const [dir, , file] = row.split('\t');
      const text = await fs.readFile(path.join(corpusDir, dir, file), 'utf8');
      const lines = text.split('\n');
      for (let variant = 0; variant < 3; variant++) {
        const mutated = [...lines];
        for (let edit = 0; edit < 4; edit++) {
          const at = Math.floor(next() * mutated.length);
          const choice = next();
          if (choice < 0.3) mutated.splice(at, 1);
          else if (choice < 0.6)
            mutated.splice(
              at,
              0,
              fragments[Math.floor(next() * fragments.length)],
            );
          else if (choice < 0.8)
            mutated[at] = (mutated[at] ?? '').slice(0, Math.floor(next() * 20));
          else mutated[at] = `  ${mutated[at] ?? ''}`;
        }
        const reader = createMemoryReader({
          'x.yml': mutated.slice(0, 30).join('\n'),
        });
        const pipeline = await resolvePipeline({
          reader,
          rootText: mutated.join('\n'),
        });
        runs += 1;
        for (const error of pipeline.errors) {
          expect(error.location.line).toBeGreaterThanOrEqual(1);
          expect(typeof error.location.file).toBe('string');
          expect(error.message).not.toContain('failed unexpectedly');
        }
      }
    }
    expect(runs).toBeGreaterThan(150);
  }, 120_000);
});
