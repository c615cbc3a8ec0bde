import type { Response } from 'express';
import { once } from 'node:events';
import type { ScorecardStore } from '../database/ScorecardStore';
import { toProjectSummary } from '../database/ScorecardStore';

const COLUMNS = [
  'projectPath', 'projectId', 'entityRef', 'owner', 'group', 'score', 'level', 'phase',
  'blockers', 'warnings', 'infos', 'configErrors', 'evaluatedAt', 'error',
];

/**
 * Quotes a CSV field (RFC 4180). Text starting with `=`, `+`, `-` or `@` gets
 * a leading apostrophe so spreadsheets do not run it as a formula.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Streams all projects as CSV, a page of rows at a time, waiting when the client reads slowly. */
export async function writeScorecardsCsv(res: Response, store: ScorecardStore): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', 'attachment; filename="runner-fleet-scorecards.csv"');
  res.write(`${COLUMNS.join(',')}\r\n`);
  for await (const rows of store.iterateProjects(1000)) {
    let chunk = '';
    for (const row of rows) {
      const s = toProjectSummary(row);
      chunk += `${[
        s.projectPath, s.projectId, s.entityRef, s.ownerRef, s.group, s.score, s.level, s.phase,
        s.blockers, s.warnings, s.infos, s.configErrors, s.evaluatedAt, s.error,
      ].map(csvField).join(',')}\r\n`;
    }
    if (!res.write(chunk)) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (res.destroyed) return;
  }
  res.end();
}
