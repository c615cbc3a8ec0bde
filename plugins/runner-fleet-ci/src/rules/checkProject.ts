import type { IncludeReader, ResolveOptions } from '../resolve';
import { resolvePipeline } from '../resolve';
import type { ResolvedPipeline } from '../model';
import { ConfigurationError } from '../config';
import { parseWaiverFile, WAIVER_FILE_NAME, type Waiver } from '../waivers';
import type { AnalysisResult } from '../score/types';
import { analyzePipeline, type AnalyzeOptions } from './engine';

export interface CheckProjectOptions extends Omit<AnalyzeOptions, 'waivers'> {
  /** Reads the project's files: a checkout on disk or the GitLab API. */
  reader: IncludeReader;
  /** Options passed on to resolvePipeline, besides the reader. */
  resolve?: Omit<ResolveOptions, 'reader'>;
  /**
   * Waivers to use instead of reading `.runner-fleet.yaml` through the
   * reader; pass `[]` to ignore the project's file.
   */
  waivers?: Waiver[];
}

export interface CheckProjectResult extends AnalysisResult {
  pipeline: ResolvedPipeline;
  /** True when `.runner-fleet.yaml` was found and read. */
  waiverFileFound: boolean;
}

/**
 * Resolves the project's CI configuration, reads its waivers from
 * `.runner-fleet.yaml` at the repository root, and analyzes the result.
 *
 * @throws ConfigurationError when `.runner-fleet.yaml` or the engine
 * configuration is invalid; the message names the field to fix.
 */
export async function checkProject(options: CheckProjectOptions): Promise<CheckProjectResult> {
  const { reader, resolve, waivers: givenWaivers, ...analyzeOptions } = options;
  const pipeline = await resolvePipeline({ ...resolve, reader });

  let waivers = givenWaivers;
  let waiverFileFound = false;
  if (!waivers) {
    let text: string | undefined;
    try {
      text = await reader.readLocal(WAIVER_FILE_NAME);
    } catch (error) {
      throw new ConfigurationError(WAIVER_FILE_NAME, [
        {
          field: '',
          message: `reading the file failed (${(error as Error)?.message ?? String(error)}); make it a regular file inside the repository`,
        },
      ]);
    }
    waiverFileFound = text !== undefined;
    waivers = text === undefined ? [] : parseWaiverFile(text);
  }
  const result = analyzePipeline(pipeline, { ...analyzeOptions, waivers });
  return { ...result, pipeline, waiverFileFound };
}
