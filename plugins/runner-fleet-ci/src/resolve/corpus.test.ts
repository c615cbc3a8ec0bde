import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createDirectoryReader } from './directoryReader';
import { resolvePipeline } from './resolvePipeline';

const corpusDir = path.resolve(
  __dirname,
  '../../../../fixtures/corpus/gitlab-ci',
);

interface CorpusEntry {
  dir: string;
  file: string;
  features: string[];
}

async function readSources(): Promise<CorpusEntry[]> {
  const text = await fs.readFile(path.join(corpusDir, 'SOURCES.tsv'), 'utf8');
  const [header, ...rows] = text.trim().split('\n');
  const columns = header.split('\t');
  return rows.map(row => {
    const cells = row.split('\t');
    const get = (name: string) => cells[columns.indexOf(name)] ?? '';
    return {
      dir: get('dir'),
      file: get('path'),
      features: get('features').split(',').filter(Boolean),
    };
  });
}

describe('corpus', () => {
  it('resolves every corpus file without throwing', async () => {
    const entries = await readSources();
    expect(entries.length).toBeGreaterThan(40);
    const failures: string[] = [];

    for (const entry of entries) {
      const reader = createDirectoryReader(path.join(corpusDir, entry.dir));
      const pipeline = await resolvePipeline({ reader, rootFile: entry.file });

      const hasJobs = pipeline.jobs.length > 0;
      const located = pipeline.errors.filter(
        e => e.location.file && e.location.line >= 1,
      );
      if (!hasJobs && located.length === 0) {
        failures.push(
          `${entry.dir}/${entry.file}: no jobs and no located error`,
        );
      }
      if (
        pipeline.errors.some(e => e.message.includes('failed unexpectedly'))
      ) {
        failures.push(`${entry.dir}/${entry.file}: internal failure`);
      }
      if (located.length !== pipeline.errors.length) {
        failures.push(
          `${entry.dir}/${entry.file}: an error lacks file or line`,
        );
      }
      // Files tagged malformed break strict YAML; some of them (duplicate
      // keys) are accepted by GitLab and so only produce a warning.
      if (
        entry.features.includes('malformed') &&
        pipeline.errors.length === 0
      ) {
        failures.push(`${entry.dir}/${entry.file}: malformed but no error`);
      }
      for (const job of pipeline.jobs) {
        const location = job.locate([]);
        if (!location || location.line < 1) {
          failures.push(
            `${entry.dir}/${entry.file}: job ${job.name} has no location`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
