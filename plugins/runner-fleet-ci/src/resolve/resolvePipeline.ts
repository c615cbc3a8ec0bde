import type { ConfigError, ResolvedPipeline } from '../model';
import { applyExtends } from './extends';
import { IncludeResolver } from './includes';
import { buildJobs } from './jobs';
import { ExpansionLimitError, getEntry, toPlain, type MapNode } from './nodes';
import { resolveReferences } from './references';
import { IncludeReadError, type ResolveOptions } from './types';

export const DEFAULT_MAX_INCLUDES = 150;
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_ALIAS_COUNT = 100_000;
export const DEFAULT_MAX_EXPANDED_NODES = 1_000_000;

/**
 * Resolves a project's CI configuration as GitLab reads it: includes (with
 * `spec:inputs`), anchors and merge keys, `extends`, `!reference`, `default`
 * and `inherit`. Bad input never makes it throw: problems are returned in
 * `errors`, and resolution goes on past the recoverable ones. An unexpected
 * internal failure is also returned, as an `invalid-config` error.
 */
export async function resolvePipeline(
  options: ResolveOptions,
): Promise<ResolvedPipeline> {
  const errors: ConfigError[] = [];
  try {
    return await resolveWithErrors(options, errors);
  } catch (error) {
    const rootFile = (options.rootFile ?? '.gitlab-ci.yml').replace(/^\/+/, '');
    errors.push({
      code: 'invalid-config',
      message: `Resolving ${rootFile} failed unexpectedly (${
        (error as Error)?.message ?? String(error)
      }); this is a bug in the resolver, so report it with the file that caused it.`,
      location: { file: rootFile, line: 1 },
    });
    return { jobs: [], variables: {}, files: [], errors };
  }
}

async function resolveWithErrors(
  options: ResolveOptions,
  errors: ConfigError[],
): Promise<ResolvedPipeline> {
  const rootFile = (options.rootFile ?? '.gitlab-ci.yml').replace(/^\/+/, '');
  const empty: ResolvedPipeline = {
    jobs: [],
    variables: {},
    files: [],
    errors,
  };

  let rootText = options.rootText;
  if (rootText === undefined) {
    try {
      rootText = await options.reader.readLocal(rootFile);
    } catch (error) {
      errors.push({
        code:
          error instanceof IncludeReadError ? error.code : 'include-missing',
        message: `Reading the root file ${rootFile} failed: ${
          (error as Error)?.message ?? String(error)
        }`,
        location: { file: rootFile, line: 1 },
      });
      return empty;
    }
    if (rootText === undefined) {
      errors.push({
        code: 'include-missing',
        message: `The root file ${rootFile} was not found; check the project path or pass rootFile.`,
        location: { file: rootFile, line: 1 },
      });
      return empty;
    }
  }

  const variables = new Map<string, string>();
  if (options.projectPath) {
    const segments = options.projectPath.split('/');
    variables.set('CI_PROJECT_PATH', options.projectPath);
    variables.set('CI_PROJECT_NAME', segments[segments.length - 1]);
    variables.set('CI_PROJECT_NAMESPACE', segments.slice(0, -1).join('/'));
    variables.set('CI_PROJECT_ROOT_NAMESPACE', segments[0]);
  }
  if (options.serverHost) {
    variables.set('CI_SERVER_HOST', options.serverHost);
    variables.set('CI_SERVER_FQDN', options.serverHost);
  }
  // Predefined variables that have the same value in every pipeline.
  variables.set('CI', 'true');
  variables.set('GITLAB_CI', 'true');
  for (const [name, value] of Object.entries(options.includeVariables ?? {})) {
    variables.set(name, value);
  }

  const includes = new IncludeResolver({
    reader: options.reader,
    allowedRemoteHosts: options.allowedRemoteHosts ?? [],
    maxIncludes: options.maxIncludes ?? DEFAULT_MAX_INCLUDES,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT,
    maxExpandedNodes: options.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED_NODES,
    variables,
  });

  let merged: MapNode;
  try {
    merged = await includes.resolveRoot(rootFile, rootText);
  } finally {
    errors.push(...includes.errors);
  }
  const files = includes.files;

  try {
    const extended = applyExtends(merged, errors);
    const referenced = resolveReferences(extended, errors);
    const jobs = buildJobs(referenced, errors);
    if (
      jobs.length === 0 &&
      !errors.some(error => error.severity !== 'warning')
    ) {
      errors.push({
        code: 'invalid-config',
        message: `${rootFile} and its includes define no visible job, so GitLab rejects the pipeline; add a job whose name does not start with a dot.`,
        location: { file: rootFile, line: 1 },
      });
    }
    const variablesNode = getEntry(referenced, 'variables');
    const pipelineVariables =
      variablesNode?.kind === 'map'
        ? (toPlain(
            variablesNode,
            options.maxExpandedNodes ?? DEFAULT_MAX_EXPANDED_NODES,
          ) as Record<string, unknown>)
        : {};
    return { jobs, variables: pipelineVariables, files, errors };
  } catch (error) {
    if (error instanceof ExpansionLimitError) {
      errors.push({
        code: 'alias-limit',
        message: `The resolved configuration of ${rootFile} expands to more than ${error.limit} values; reduce aliases and !reference reuse, or raise maxExpandedNodes.`,
        location: { file: rootFile, line: 1 },
      });
      return { jobs: [], variables: {}, files, errors };
    }
    throw error;
  }
}
