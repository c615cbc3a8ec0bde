import { resolvePipeline } from '../../resolve';
import { createMemoryReader } from '../../resolve/memoryReader';
import type { ResolvedPipeline } from '../../model';
import { analyzePipeline, type AnalyzeOptions } from '../engine';
import type { Finding } from '../../score/types';

/** A fixed day before the default decommission date, so results do not depend on the clock. */
export const BEFORE_DECOMMISSION = new Date('2026-12-01T12:00:00Z');

/**
 * Resolves `files` (`.gitlab-ci.yml` is the root) with the real resolver
 * and analyzes the result.
 */
export async function analyzeFiles(
  files: Record<string, string> | string,
  options: AnalyzeOptions = {},
): Promise<{ pipeline: ResolvedPipeline; findings: Finding[]; result: ReturnType<typeof analyzePipeline> }> {
  const map = typeof files === 'string' ? { '.gitlab-ci.yml': files } : files;
  const pipeline = await resolvePipeline({ reader: createMemoryReader(map) });
  const result = analyzePipeline(pipeline, { now: BEFORE_DECOMMISSION, ...options });
  return { pipeline, findings: result.findings, result };
}

/** Returns the findings of one rule. */
export async function findingsOf(
  ruleId: string,
  files: Record<string, string> | string,
  options: AnalyzeOptions = {},
): Promise<Finding[]> {
  const { findings } = await analyzeFiles(files, options);
  return findings.filter(finding => finding.ruleId === ruleId);
}
