/* Prints jobs and errors for each corpus file; a development aid. */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { createDirectoryReader, resolvePipeline } from '../src';

async function main() {
  const corpusDir = path.resolve(__dirname, '../../../fixtures/corpus/gitlab-ci');
  const rows = (await fs.readFile(path.join(corpusDir, 'SOURCES.tsv'), 'utf8')).trim().split('\n').slice(1);
  for (const row of rows) {
    const [dir, , file] = row.split('\t');
    const started = process.hrtime.bigint();
    const pipeline = await resolvePipeline({ reader: createDirectoryReader(path.join(corpusDir, dir)), rootFile: file });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${dir}/${file}: ${pipeline.jobs.length} jobs, ${pipeline.files.length} files, ${ms.toFixed(1)} ms`);
    for (const error of pipeline.errors) {
      console.log(`   ${error.severity ?? 'error'} ${error.code} ${error.location.file}:${error.location.line} ${error.message.slice(0, 220)}`);
    }
  }
}
main();
