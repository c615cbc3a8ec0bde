import type { ResolvedPipeline } from '../model';
import {
  defaultEngineConfig,
  resolveEngineConfig,
  type EngineConfig,
  type EngineConfigInput,
} from '../config';
import { computeScore, readinessLevel } from '../score';
import type { AnalysisResult, Finding } from '../score/types';
import { applyWaivers, type Waiver } from '../waivers';
import { AUTO_FIXABLE_RULE_IDS, BUILTIN_RULES } from './builtin';
import { jobTags, runsOnRunner } from './job';
import { unknownTags } from './builtin/unknownRunnerTag';

const BUILTIN_IDS = new Set(BUILTIN_RULES.map(rule => rule.id));

/** Rules about tags, which also apply to jobs that run on project or group runners. */
const TAG_RULE_IDS = new Set(['legacy-docker-tag', 'temporary-opt-in-tag', 'unknown-runner-tag']);
import type { Rule, RuleContext, RuleDescription, Severity } from './types';

export interface AnalyzeOptions {
  /** Engine configuration: a resolved EngineConfig or input to validate. Defaults model the example instance. */
  config?: EngineConfig | EngineConfigInput;
  /** An organisation's own rules, run after the built-in ones. Ids must not repeat built-in ids. */
  rules?: Rule[];
  /** Waivers from the project's `.runner-fleet.yaml`. */
  waivers?: Waiver[];
  /** The moment of the analysis, for the decommission date and waiver expiry; default the current time. */
  now?: Date;
}

function isResolvedConfig(config: EngineConfig | EngineConfigInput): config is EngineConfig {
  return Array.isArray((config as EngineConfig).entrypointImages) &&
    (config as EngineConfig).entrypointImages.every(entry => entry instanceof RegExp) &&
    typeof (config as EngineConfig).tags?.legacy !== 'undefined' &&
    typeof (config as EngineConfig).decommissionDate === 'string';
}

function toEngineConfig(config: AnalyzeOptions['config']): EngineConfig {
  if (!config) {
    return defaultEngineConfig();
  }
  return isResolvedConfig(config) ? config : resolveEngineConfig(config);
}

/**
 * Runs every enabled rule over every job that the migrating fleets
 * execute (trigger jobs and jobs tagged for external runners such as
 * macOS or Windows are skipped), applies waivers, and computes the score
 * and level.
 * Never throws for a pipeline. A rule that throws becomes an info finding
 * of its own id, so one bad custom rule cannot hide the rest.
 *
 * @throws ConfigurationError when `options.config` is invalid, or Error
 * when a custom rule reuses a built-in id.
 */
export function analyzePipeline(
  pipeline: ResolvedPipeline,
  options: AnalyzeOptions = {},
): AnalysisResult {
  const config = toEngineConfig(options.config);
  const now = options.now ?? new Date();
  const rules = activeRules(options.rules ?? [], config);
  const context: RuleContext = { pipeline, config, now };

  const findings: Finding[] = [];
  const seen = new Set<string>();
  const runnableJobs = pipeline.jobs.filter(
    job => runsOnRunner(job) && !targetsExternalRunner(job, config),
  );
  for (const job of runnableJobs) {
    // A tag that no instance fleet has means a project or group runner
    // executes the job, so the executor rules do not apply to it.
    const onOtherRunner = unknownTags(job, config).length > 0;
    const jobRules = onOtherRunner
      ? rules.filter(rule => TAG_RULE_IDS.has(rule.id) || !BUILTIN_IDS.has(rule.id))
      : rules;
    for (const rule of jobRules) {
      let hits;
      try {
        hits = rule.check(job, context);
      } catch (error) {
        hits = [
          {
            message: `Rule ${rule.id} failed on job "${job.name}": ${(error as Error)?.message ?? String(error)}. Report this with the job's configuration.`,
            location: job.location,
            severity: 'info' as Severity,
          },
        ];
      }
      for (const hit of hits) {
        const location = hit.location ?? job.location;
        const key = `${rule.id}\u0000${job.name}\u0000${location.file}\u0000${location.line}`;
        if (seen.has(key)) {
          continue;
        }
        seen.add(key);
        findings.push({
          ruleId: rule.id,
          severity: config.severityOverrides[rule.id] ?? hit.severity ?? rule.severity,
          title: rule.title,
          message: hit.message,
          fix: rule.fix,
          job: job.name,
          location,
          ...(hit.autoFix ? { autoFix: hit.autoFix } : {}),
        });
      }
    }
  }

  const knownRuleIds = new Set([...BUILTIN_RULES, ...(options.rules ?? [])].map(rule => rule.id));
  const waived = applyWaivers(findings, options.waivers ?? [], now, knownRuleIds);
  const counts: Record<Severity, number> = { blocker: 0, warning: 0, info: 0 };
  for (const finding of waived.findings) {
    if (!finding.waived) {
      counts[finding.severity]++;
    }
  }
  return {
    findings: waived.findings,
    score: computeScore(waived.findings),
    level: readinessLevel(waived.findings),
    configErrors: pipeline.errors,
    waiverProblems: waived.problems,
    counts,
    jobCount: runnableJobs.length,
  };
}

/** True when a tag selects a runner outside the migration, such as a macOS shell runner. */
function targetsExternalRunner(job: ResolvedPipeline['jobs'][number], config: EngineConfig): boolean {
  return jobTags(job).some(({ tag }) => config.externalRunnerTags.some(pattern => pattern.test(tag)));
}

function activeRules(custom: Rule[], config: EngineConfig): Rule[] {
  const builtinIds = new Set(BUILTIN_RULES.map(rule => rule.id));
  for (const rule of custom) {
    if (builtinIds.has(rule.id)) {
      throw new Error(
        `The custom rule id "${rule.id}" is already a built-in rule id; rename the custom rule.`,
      );
    }
  }
  const disabled = new Set(config.disabledRules);
  return [...BUILTIN_RULES, ...custom].filter(rule => !disabled.has(rule.id));
}

/** Returns the catalogue of built-in rules, followed by any custom rules given. */
export function listRules(custom: Rule[] = []): RuleDescription[] {
  const describe = (rule: Rule, source: 'builtin' | 'custom'): RuleDescription => ({
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    rationale: rule.rationale,
    detection: rule.detection,
    fix: rule.fix,
    autoFixable: AUTO_FIXABLE_RULE_IDS.has(rule.id),
    source,
  });
  return [
    ...BUILTIN_RULES.map(rule => describe(rule, 'builtin')),
    ...custom.map(rule => describe(rule, 'custom')),
  ];
}
