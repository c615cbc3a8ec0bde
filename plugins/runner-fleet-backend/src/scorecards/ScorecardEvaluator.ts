import { LoggerService } from '@backstage/backend-plugin-api';
import {
  checkProject,
  isConfigurationError,
  parseWaiverFile,
  WAIVER_FILE_NAME,
  type EngineConfig,
  type Finding,
  type Waiver,
} from '@runner-fleet/ci';
import type {
  JobEvidence,
  ProjectScorecard,
  ScorecardConfigError,
  ScorecardFinding,
} from '@runner-fleet/plugin-runner-fleet-common';
import { parse as parseYaml } from 'yaml';
import type { RunnerFleetOptions } from '../config';
import type {
  CiFingerprint,
  ProjectRow,
  ScorecardStore,
} from '../database/ScorecardStore';
import { toProjectScorecard } from '../database/ScorecardStore';
import type { FleetResolver } from '../fleet/fleets';
import type { GitLabApi } from '../lib/gitlab';
import {
  GitLabIncludeReader,
  ReaderStats,
  SharedHeadCache,
} from './GitLabIncludeReader';
import { TagUsage, buildEvidence, derivePhase, tagUsage } from './phase';

/** The result of evaluating one project, with request counters. */
export interface EvaluationOutcome {
  scorecard: ProjectScorecard;
  fingerprint: CiFingerprint;
  /** False when the CI files were unchanged and the stored findings were kept. */
  reanalyzed: boolean;
  evidenceAtMs?: number;
  stats: ReaderStats & { evidenceFetched: boolean };
}

/** Per-run context shared by the evaluations of one batch or scheduler run. */
export interface EvaluationContext {
  nowMs: number;
  sharedHeads: SharedHeadCache;
  resolver: FleetResolver;
  /** Re-analyse even when no CI file changed. */
  force?: boolean;
}

const RESERVED_TOP_LEVEL_KEYS = new Set([
  'default', 'include', 'stages', 'variables', 'workflow', 'image', 'services',
  'cache', 'before_script', 'after_script', 'spec',
]);

function toScorecardFinding(finding: Finding): ScorecardFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    fix: finding.fix,
    job: finding.job,
    location: finding.location,
    waiver:
      finding.waived && finding.waiver
        ? { reason: finding.waiver.reason, expires: finding.waiver.expires }
        : undefined,
    autoFixable: finding.autoFix !== undefined,
  };
}

/**
 * Evaluates one project. A `HEAD` request for the root CI file returns its
 * blob id and the branch's commit id. When both match the last evaluation
 * and the files included from other projects are unchanged, the stored
 * findings are kept. Only when something changed does it read files, through
 * the blob cache, and run the migration engine.
 */
export class ScorecardEvaluator {
  constructor(
    private readonly deps: {
      gitlab: GitLabApi;
      store: ScorecardStore;
      options: RunnerFleetOptions;
      engineConfig: EngineConfig;
      logger: LoggerService;
    },
  ) {}

  private async unchanged(
    reader: GitLabIncludeReader,
    previous: CiFingerprint | undefined,
    rootBlobId: string | undefined,
    commitId: string | undefined,
  ): Promise<boolean> {
    if (!previous || previous.hasRemote || previous.rootBlobId !== rootBlobId) {
      return false;
    }
    if (previous.commitId === undefined || previous.commitId !== commitId) {
      for (const file of previous.localFiles) {
        const head = await reader.headLocal(file.path);
        if (head?.blobId !== file.blobId) return false;
      }
    }
    for (const file of previous.projectFiles) {
      const head = await reader.headShared(file.project, file.path, file.ref);
      if (head?.blobId !== file.blobId) return false;
    }
    return true;
  }

  async evaluate(project: ProjectRow, context: EvaluationContext): Promise<EvaluationOutcome> {
    const { gitlab, store, options } = this.deps;
    const projectRef: number | string = project.gitlab_id ?? project.project_path;
    let defaultBranch = project.default_branch;
    let webUrl = project.web_url ?? undefined;
    let projectId = project.gitlab_id ?? undefined;
    let ciConfigPath = project.ci_config_path;
    if (!defaultBranch) {
      const details = await gitlab.getProject(projectRef);
      defaultBranch = details.default_branch ?? 'HEAD';
      webUrl = details.web_url;
      projectId = details.id;
      ciConfigPath = details.ci_config_path ?? null;
      await store.upsertProjects(
        [{
          projectPath: project.project_path,
          gitlabId: details.id,
          webUrl: details.web_url,
          defaultBranch,
          ciConfigPath: details.ci_config_path ?? '',
        }],
        context.nowMs,
      );
    }
    const ref = defaultBranch;
    const rootFile = ciConfigPath || '.gitlab-ci.yml';

    const reader = new GitLabIncludeReader({
      gitlab,
      store,
      project: projectId ?? projectRef,
      ref,
      nowMs: context.nowMs,
      sharedHeads: context.sharedHeads,
    });
    const rootHead = await reader.headLocal(rootFile);
    const previous = project.fingerprint_json
      ? (JSON.parse(project.fingerprint_json) as CiFingerprint)
      : undefined;
    const stored = toProjectScorecard(project);

    const evidenceStale =
      project.evidence_at_ms === null ||
      context.nowMs - project.evidence_at_ms > options.scorecards.evidenceMaxAgeMs;

    if (
      !context.force &&
      stored &&
      (await this.unchanged(reader, previous, rootHead?.blobId, rootHead?.commitId))
    ) {
      const fingerprint: CiFingerprint = { ...previous!, commitId: rootHead?.commitId };
      let evidence = stored.evidence;
      let evidenceAtMs: number | undefined;
      if (evidenceStale) {
        evidence = await this.fetchEvidence(projectId ?? projectRef, context);
        evidenceAtMs = context.nowMs;
      }
      const usage = previous!.tagUsage ?? { jobs: 0, legacyTagJobs: 0, optInTagJobs: 0 };
      return {
        scorecard: {
          ...stored,
          evidence,
          phase: derivePhase(usage, evidence, stored.findings, options.migration.legacyFleetRef),
          evaluatedAt: new Date(context.nowMs).toISOString(),
        },
        fingerprint,
        reanalyzed: false,
        evidenceAtMs,
        stats: { ...reader.stats, evidenceFetched: evidenceAtMs !== undefined },
      };
    }

    let findings: ScorecardFinding[] = [];
    const configErrors: ScorecardConfigError[] = [];
    let score = 100;
    let level: ProjectScorecard['level'] = 'ready';
    let usage: TagUsage = { jobs: 0, legacyTagJobs: 0, optInTagJobs: 0 };

    if (/^https?:\/\//.test(rootFile) || rootFile.includes('@')) {
      // GitLab reads such a ci_config_path from another project or a URL,
      // which this evaluator does not follow yet.
      configErrors.push({
        code: 'unsupported-ci-config-path',
        message: `The project's CI/CD configuration file "${rootFile}" lives in another project or at a URL, which the scorecard does not read; the findings are empty`,
      });
    } else if (rootHead) {
      const rootText = await reader.readByHead(projectId ?? projectRef, rootFile, ref, rootHead);
      let waivers: Waiver[] = [];
      const waiverText = await reader.readLocal(WAIVER_FILE_NAME);
      if (waiverText !== undefined) {
        try {
          waivers = parseWaiverFile(waiverText);
        } catch (error) {
          if (!isConfigurationError(error)) throw error;
          configErrors.push({
            code: 'invalid-waiver-file',
            message: `${WAIVER_FILE_NAME} is invalid, so no waiver applies: ${error.message}`,
            location: { file: WAIVER_FILE_NAME, line: 1 },
          });
        }
      }
      const result = await checkProject({
        reader,
        waivers,
        config: { ...this.deps.engineConfig, decommissionDate: options.migration.decommissionDate },
        now: new Date(context.nowMs),
        resolve: {
          rootFile,
          rootText,
          projectPath: project.project_path,
          allowedRemoteHosts: options.scorecards.allowedRemoteHosts,
          includeVariables: { CI_COMMIT_REF_NAME: ref, CI_DEFAULT_BRANCH: ref },
        },
      });
      findings = result.findings.map(toScorecardFinding);
      score = result.score;
      level = result.level;
      for (const error of result.configErrors) {
        configErrors.push({ code: error.code, message: error.message, location: error.location });
      }
      for (const problem of result.waiverProblems) {
        configErrors.push({
          code: `waiver-${problem.kind}`,
          message: problem.message,
          location: { file: WAIVER_FILE_NAME, line: 1 },
        });
      }
      usage = tagUsage(result.pipeline, this.deps.engineConfig.tags);

      if (options.scorecards.ciLintCrossCheck) {
        const mismatch = await this.crossCheck(
          projectId ?? projectRef,
          ref,
          result.pipeline.jobs.map(job => job.name),
        );
        if (mismatch) configErrors.push(mismatch);
      }
    }

    const evidence = await this.fetchEvidence(projectId ?? projectRef, context);
    const fingerprint: CiFingerprint = {
      rootFile,
      rootBlobId: rootHead?.blobId,
      commitId: rootHead?.commitId,
      localFiles: reader.localFiles,
      projectFiles: reader.projectFiles,
      hasRemote: reader.hasRemote,
      tagUsage: usage,
    };
    return {
      scorecard: {
        projectPath: project.project_path,
        projectId,
        entityRef: project.entity_ref ?? undefined,
        score,
        level,
        phase: derivePhase(usage, evidence, findings, options.migration.legacyFleetRef),
        findings,
        configErrors,
        evidence,
        blobId: rootHead?.blobId,
        evaluatedAt: new Date(context.nowMs).toISOString(),
        webUrl: webUrl && rootHead ? `${webUrl}/-/blob/${encodeURIComponent(ref)}/${rootFile}` : webUrl,
      },
      fingerprint,
      reanalyzed: true,
      evidenceAtMs: context.nowMs,
      stats: { ...reader.stats, evidenceFetched: true },
    };
  }

  private async fetchEvidence(
    projectRef: number | string,
    context: EvaluationContext,
  ): Promise<JobEvidence> {
    const { options, gitlab } = this.deps;
    const windowDays = options.scorecards.evidenceWindowDays;
    const jobs = await gitlab.listProjectJobs(projectRef, {
      limit: options.scorecards.evidenceMaxJobs,
      createdAfter: new Date(context.nowMs - windowDays * 86_400_000),
    });
    return buildEvidence(jobs, {
      resolver: context.resolver,
      legacyFleetRef: options.migration.legacyFleetRef,
      windowDays,
    });
  }

  /** Compares the resolved job names with GitLab's CI lint `merged_yaml`. */
  private async crossCheck(
    projectRef: number | string,
    ref: string,
    jobNames: string[],
  ): Promise<ScorecardConfigError | undefined> {
    try {
      const lint = await this.deps.gitlab.lintProject(projectRef, ref);
      if (!lint.mergedYaml) return undefined;
      const merged = parseYaml(lint.mergedYaml) as Record<string, unknown> | null;
      const gitlabJobs = new Set(
        Object.keys(merged ?? {}).filter(
          key => !key.startsWith('.') && !RESERVED_TOP_LEVEL_KEYS.has(key),
        ),
      );
      const ours = new Set(jobNames);
      const missing = [...gitlabJobs].filter(name => !ours.has(name));
      const extra = [...ours].filter(name => !gitlabJobs.has(name));
      if (missing.length === 0 && extra.length === 0) return undefined;
      return {
        code: 'lint-mismatch',
        message: `GitLab's CI lint lists other jobs than the resolver: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}; the findings may be incomplete`,
      };
    } catch (error) {
      this.deps.logger.warn(`CI lint cross-check of project ${projectRef} failed: ${error}`);
      return undefined;
    }
  }
}
