import { Router } from 'express';
import { analyzeCiConfig, stringTags } from '../ci/jobs';
import { CiFileReader, resolveCiConfig } from '../ci/resolve';
import { stringifyCiYaml } from '../ci/yaml';
import { SimulatorInstance } from '../instance';
import { AccessLevel, Project } from '../model';
import { invalidParam, optionalBool, optionalString } from '../http/params';
import { CommitRecord } from '../repository/repositories';
import {
  notFound,
  projectParam,
  requireProjectAccess,
  RouteContext,
} from './context';

/** Creates a reader over a commit of a simulated project, for include resolution. */
export function commitFileReader(
  instance: SimulatorInstance,
  project: Project,
  commit: CommitRecord,
): CiFileReader {
  return {
    projectPath: instance.fullPath(project),
    readLocal: path => commit.tree.get(path)?.content.toString('utf8'),
    listLocal: () => [...commit.tree.keys()],
    openProject: (projectPath, ref) => {
      const other = instance.findProject(projectPath);
      const otherCommit =
        other &&
        instance.repositories.resolveRef(other, ref ?? other.defaultBranch);
      return other && otherCommit
        ? commitFileReader(instance, other, otherCommit)
        : undefined;
    },
  };
}

/** Lints a CI configuration as POST /projects/:id/ci/lint does, within the limits the README lists. */
export function lintCiConfig(
  instance: SimulatorInstance,
  project: Project,
  commit: CommitRecord,
  content: string,
  entryPath: string,
  includeJobs: boolean,
) {
  const resolved = resolveCiConfig(
    entryPath,
    content,
    commitFileReader(instance, project, commit),
  );
  const errors = [...resolved.errors];
  let jobs: Array<Record<string, unknown>> = [];
  if (resolved.config) {
    const analysis = analyzeCiConfig(resolved.config);
    errors.push(...analysis.errors);
    jobs = analysis.jobs.map(job => ({
      name: job.name,
      stage:
        typeof job.definition.stage === 'string'
          ? job.definition.stage
          : 'test',
      before_script: job.definition.before_script ?? [],
      script: job.definition.script ?? [],
      after_script: job.definition.after_script ?? [],
      tag_list: stringTags(job.definition, resolved.config),
      environment: job.definition.environment ?? null,
      when: job.definition.when ?? 'on_success',
      allow_failure: job.definition.allow_failure ?? false,
      needs: job.definition.needs ?? null,
    }));
  }
  const valid = errors.length === 0;
  const fullPath = instance.fullPath(project);
  return {
    valid,
    errors,
    warnings: resolved.warnings,
    merged_yaml:
      resolved.config && valid ? stringifyCiYaml(resolved.config) : null,
    includes: resolved.includes.map(include => ({
      type: include.type,
      location: include.location,
      blob:
        include.type === 'local'
          ? `${instance.fullPath(project)}/-/blob/${commit.id}/${
              include.location
            }`
          : null,
      raw:
        include.type === 'local'
          ? `${fullPath}/-/raw/${commit.id}/${include.location}`
          : null,
      extra: {},
      context_project: include.contextProject,
      context_sha: commit.id,
    })),
    ...(includeJobs ? { jobs } : {}),
  };
}

export function ciLintRouter(context: RouteContext): Router {
  const router = Router();
  const { instance } = context;

  router.post('/projects/:id/ci/lint', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.developer);
    const content = optionalString(req, 'content');
    if (content === undefined) throw invalidParam('content is missing');
    const ref =
      optionalString(req, 'ref') ||
      optionalString(req, 'dry_run_ref') ||
      project.defaultBranch;
    const commit = instance.repositories.resolveRef(project, ref);
    if (!commit) throw notFound('Commit');
    optionalBool(req, 'dry_run');
    res.json(
      lintCiConfig(
        instance,
        project,
        commit,
        content,
        '.gitlab-ci.yml',
        optionalBool(req, 'include_jobs') ?? false,
      ),
    );
  });

  router.get('/projects/:id/ci/lint', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.developer);
    const ref =
      optionalString(req, 'content_ref') ||
      optionalString(req, 'sha') ||
      project.defaultBranch;
    const commit = instance.repositories.resolveRef(project, ref);
    if (!commit) throw notFound('Commit');
    const entryPath = project.ciConfigPath || '.gitlab-ci.yml';
    const file = commit.tree.get(entryPath);
    if (!file) {
      res.json({
        valid: false,
        errors: [`Please provide content of ${entryPath}`],
        warnings: [],
        merged_yaml: null,
        includes: [],
      });
      return;
    }
    optionalBool(req, 'dry_run');
    res.json(
      lintCiConfig(
        instance,
        project,
        commit,
        file.content.toString('utf8'),
        entryPath,
        optionalBool(req, 'include_jobs') ?? false,
      ),
    );
  });

  return router;
}
