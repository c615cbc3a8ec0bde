import { JobTemplate } from '../model';
import { deepMerge } from './resolve';
import { isMapping } from './yaml';

/** Top-level keys that are not jobs. */
const GLOBAL_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'types',
  'spec',
]);

const DEFAULT_STAGES = ['build', 'test', 'deploy'];
const MAX_EXTENDS_DEPTH = 11;

export interface CiJob {
  name: string;
  /** The job after `extends` was applied. */
  definition: Record<string, unknown>;
}

export interface CiAnalysis {
  stages: string[];
  jobs: CiJob[];
  errors: string[];
}

function stagesOf(config: Record<string, unknown>): string[] {
  const declared = Array.isArray(config.stages)
    ? config.stages.filter(
        (stage): stage is string => typeof stage === 'string',
      )
    : DEFAULT_STAGES;
  return [
    '.pre',
    ...declared.filter(s => s !== '.pre' && s !== '.post'),
    '.post',
  ];
}

function resolveExtends(
  name: string,
  config: Record<string, unknown>,
  errors: string[],
  depth = 0,
): Record<string, unknown> {
  const job = config[name];
  if (!isMapping(job)) {
    return {};
  }
  if (job.extends === undefined) {
    return job;
  }
  if (depth >= MAX_EXTENDS_DEPTH) {
    errors.push(
      `${name}: nesting too deep in \`extends\` (more than ${MAX_EXTENDS_DEPTH} levels)`,
    );
    return job;
  }
  const parents = Array.isArray(job.extends) ? job.extends : [job.extends];
  let merged: Record<string, unknown> = {};
  for (const parent of parents) {
    if (typeof parent !== 'string' || !isMapping(config[parent])) {
      errors.push(`${name}: unknown key in \`extends\` (${String(parent)})`);
      continue;
    }
    merged = deepMerge(
      merged,
      resolveExtends(parent, config, errors, depth + 1),
    );
  }
  const { extends: _ignored, ...own } = job;
  return deepMerge(merged, own);
}

/**
 * Finds the visible jobs of a merged configuration, applies `extends` and
 * checks the rules GitLab's linter reports most often: at least one visible
 * job, a script/run/trigger per job, declared stages and string tags.
 */
export function analyzeCiConfig(config: Record<string, unknown>): CiAnalysis {
  const errors: string[] = [];
  const stages = stagesOf(config);
  const jobs: CiJob[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (
      GLOBAL_KEYWORDS.has(name) ||
      name.startsWith('.') ||
      !isMapping(value)
    ) {
      continue;
    }
    const definition = resolveExtends(name, config, errors);
    jobs.push({ name, definition });
    if (
      definition.script === undefined &&
      definition.run === undefined &&
      definition.trigger === undefined
    ) {
      errors.push(
        `jobs:${name} config should implement the script:, run:, or trigger: keyword`,
      );
    }
    const stage =
      typeof definition.stage === 'string' ? definition.stage : 'test';
    if (!stages.includes(stage)) {
      errors.push(
        `${name} job: chosen stage ${stage} does not exist; available stages are ${stages.join(
          ', ',
        )}`,
      );
    }
    const tags = definition.tags;
    if (tags !== undefined && !Array.isArray(tags)) {
      errors.push(`jobs:${name} tags should be an array of strings`);
    }
  }
  if (jobs.length === 0) {
    errors.push('jobs config should contain at least one visible job');
  }
  return { stages, jobs, errors };
}

/** Tags of a job that are plain strings; `!reference` and variables are kept as written. */
export function stringTags(
  definition: Record<string, unknown>,
  config?: Record<string, unknown>,
): string[] {
  let tags = definition.tags;
  if (tags === undefined && config && isMapping(config.default)) {
    tags = config.default.tags;
  }
  return Array.isArray(tags)
    ? tags.filter((tag): tag is string => typeof tag === 'string')
    : [];
}

/** Turns the jobs of a configuration into templates for the job history, at most `limit`. */
export function jobTemplatesOf(
  config: Record<string, unknown>,
  limit = 12,
): JobTemplate[] {
  const { stages, jobs } = analyzeCiConfig(config);
  return jobs.slice(0, limit).map(job => {
    const stage =
      typeof job.definition.stage === 'string' ? job.definition.stage : 'test';
    const stageIndex = stages.indexOf(stage);
    return {
      name: job.name,
      stage,
      stageIndex: stageIndex < 0 ? stages.length : stageIndex,
      tags: stringTags(job.definition, config),
    };
  });
}
