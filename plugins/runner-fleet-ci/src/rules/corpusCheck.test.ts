import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createDirectoryReader, resolvePipeline } from '../resolve';
import { analyzePipeline } from './engine';
import { BEFORE_DECOMMISSION } from './__testUtils__/analyze';

const corpusDir = path.resolve(__dirname, '../../../../fixtures/corpus/gitlab-ci');
const rows = readFileSync(path.join(corpusDir, 'SOURCES.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map(row => row.split('\t'));

describe('migration check over the CI corpus', () => {
  it('covers the corpus', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });

  it.each(rows.map(([dir, , file]) => [`${dir}/${file}`, dir, file]))(
    '%s gets findings or located errors',
    async (_name, dir, file) => {
      const pipeline = await resolvePipeline({
        reader: createDirectoryReader(path.join(corpusDir, dir)),
        rootFile: file,
      });
      const result = analyzePipeline(pipeline, { now: BEFORE_DECOMMISSION });

      expect(result.findings.length + result.configErrors.length).toBeGreaterThan(0);
      for (const finding of result.findings) {
        expect(finding.location.file).toMatch(/\S/);
        expect(finding.location.line).toBeGreaterThanOrEqual(1);
        expect(pipeline.jobs.map(job => job.name)).toContain(finding.job);
      }
      for (const error of result.configErrors) {
        expect(error.location.file).toMatch(/\S/);
        expect(error.location.line).toBeGreaterThanOrEqual(1);
      }
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(100);
    },
  );
});
