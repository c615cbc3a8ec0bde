import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { createDirectoryReader, resolvePipeline } from '../resolve';
import { analyzePipeline } from './engine';
import { BEFORE_DECOMMISSION } from './__testUtils__/analyze';

interface Expectation {
  flag?: string[];
  no_flag?: string[];
  no_flag_for_job?: Record<string, string[]>;
  level?: string;
  evidence?: Record<string, { file: string; line: number; job: string }>;
}

const casesDir = path.resolve(__dirname, '../__fixtures__/cases');

async function loadCases(): Promise<string[]> {
  const entries = await fs.readdir(casesDir, { withFileTypes: true });
  return entries.filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
}

describe('migration cases', () => {
  it('finds the case folders', async () => {
    expect((await loadCases()).length).toBeGreaterThanOrEqual(7);
  });

  // jest needs the case names synchronously to create one test per case.
  const names = require('node:fs')
    .readdirSync(casesDir, { withFileTypes: true })
    .filter((entry: { isDirectory(): boolean }) => entry.isDirectory())
    .map((entry: { name: string }) => entry.name)
    .sort() as string[];

  it.each(names)('case %s', async name => {
    const root = path.join(casesDir, name);
    const expectation = parse(await fs.readFile(path.join(root, 'expect.yaml'), 'utf8')) as Expectation;
    const pipeline = await resolvePipeline({ reader: createDirectoryReader(root) });
    expect(pipeline.errors).toEqual([]);
    const result = analyzePipeline(pipeline, { now: BEFORE_DECOMMISSION });
    const reported = new Set(result.findings.map(finding => finding.ruleId));

    for (const ruleId of expectation.flag ?? []) {
      expect({ ruleId, reported: reported.has(ruleId) }).toEqual({ ruleId, reported: true });
    }
    for (const ruleId of expectation.no_flag ?? []) {
      expect({ ruleId, reported: reported.has(ruleId) }).toEqual({ ruleId, reported: false });
    }
    for (const [job, ruleIds] of Object.entries(expectation.no_flag_for_job ?? {})) {
      for (const ruleId of ruleIds) {
        const hit = result.findings.some(finding => finding.job === job && finding.ruleId === ruleId);
        expect({ job, ruleId, reported: hit }).toEqual({ job, ruleId, reported: false });
      }
    }
    // Cases without `level` accept any level.
    expect(result.level).toBe(expectation.level ?? result.level);
    for (const [ruleId, evidence] of Object.entries(expectation.evidence ?? {})) {
      const locations = result.findings
        .filter(finding => finding.ruleId === ruleId)
        .map(finding => ({ file: finding.location.file, line: finding.location.line, job: finding.job }));
      expect(locations).toContainEqual(evidence);
    }
  });
});
