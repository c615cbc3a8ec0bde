import { promises as fs, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { createDirectoryReader } from './directoryReader';
import { resolvePipeline } from './resolvePipeline';

/*
 * Compares our resolver with gitlab-ci-local output stored by
 * scripts/differential.ts --write-expected. gitlab-ci-local itself is not
 * run here. Values are normalised the same way as in that script: string
 * images and services become `{ name }`, and map keys are sorted.
 */
const casesDir = path.resolve(
  __dirname,
  '../../../../fixtures/corpus/gitlab-ci-local-cases',
);
const expectedDir = path.join(__dirname, '__fixtures__/differential');
const keys = [
  'image',
  'services',
  'tags',
  'script',
  'before_script',
  'after_script',
  'variables',
];

function normalise(
  definition: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    let value = definition[key];
    if (value === undefined) continue;
    if (key === 'image' && typeof value === 'string') value = { name: value };
    if (key === 'services' && Array.isArray(value)) {
      value = value.map(service =>
        typeof service === 'string' ? { name: service } : service,
      );
    }
    if (
      ['script', 'before_script', 'after_script'].includes(key) &&
      typeof value === 'string'
    )
      value = [value];
    result[key] = JSON.parse(
      JSON.stringify(value, (_key, item) =>
        item && typeof item === 'object' && !Array.isArray(item)
          ? Object.fromEntries(
              Object.entries(item).sort(([a], [b]) => a.localeCompare(b)),
            )
          : item,
      ),
    );
  }
  return result;
}

const cases: string[] = readdirSync(expectedDir)
  .filter(file => file.endsWith('.json'))
  .map(file => file.replace(/\.json$/, ''));

describe('differential against gitlab-ci-local', () => {
  it('has stored cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('matches gitlab-ci-local on %s', async name => {
    const expected = JSON.parse(
      await fs.readFile(path.join(expectedDir, `${name}.json`), 'utf8'),
    );
    const pipeline = await resolvePipeline({
      reader: createDirectoryReader(path.join(casesDir, name)),
      projectPath: 'physics/detector-sim',
    });
    const ours: Record<string, unknown> = {};
    for (const job of pipeline.jobs) ours[job.name] = normalise(job.definition);
    const theirs: Record<string, unknown> = {};
    for (const [job, definition] of Object.entries(expected)) {
      theirs[job] = normalise(definition as Record<string, unknown>);
    }
    expect(ours).toEqual(theirs);
  });
});
