import type {
  JobEvidence,
  MigrationPhase,
  ScorecardFinding,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { ResolvedPipeline } from '@runner-fleet/ci';
import type { GitLabJob } from '../lib/gitlab';
import type { FleetResolver } from '../fleet/fleets';

/** How many runnable jobs of a pipeline use the legacy and the opt-in tags. */
export interface TagUsage {
  jobs: number;
  legacyTagJobs: number;
  optInTagJobs: number;
}

export function tagUsage(
  pipeline: ResolvedPipeline,
  tags: { legacy: string[]; optIn: string[] },
): TagUsage {
  const usage: TagUsage = { jobs: 0, legacyTagJobs: 0, optInTagJobs: 0 };
  for (const job of pipeline.jobs) {
    if (job.definition.trigger !== undefined) continue;
    usage.jobs += 1;
    const raw = job.definition.tags;
    let jobTags: string[] = [];
    if (Array.isArray(raw)) {
      jobTags = raw.map(String);
    } else if (typeof raw === 'string') {
      jobTags = [raw];
    }
    if (jobTags.some(tag => tags.legacy.includes(tag))) usage.legacyTagJobs += 1;
    if (jobTags.some(tag => tags.optIn.includes(tag))) usage.optInTagJobs += 1;
  }
  return usage;
}

/**
 * Builds job evidence: jobs per fleet, and the failure rate of jobs on the
 * legacy fleet against the failure rate on Kubernetes fleets. When some job
 * names ran on both, only those names count, so the rates compare the same
 * jobs before and after their move.
 */
export function buildEvidence(
  jobs: GitLabJob[],
  options: {
    resolver: FleetResolver;
    legacyFleetRef: string;
    windowDays: number;
  },
): JobEvidence {
  const jobsByFleet: Record<string, number> = {};
  const legacyRuns: GitLabJob[] = [];
  const kubernetesRuns: GitLabJob[] = [];
  for (const job of jobs) {
    const fleet = options.resolver.fleetOfJob(job);
    const key = fleet?.ref ?? 'unknown';
    jobsByFleet[key] = (jobsByFleet[key] ?? 0) + 1;
    if (fleet?.ref === options.legacyFleetRef) legacyRuns.push(job);
    else if (fleet?.executor === 'kubernetes') kubernetesRuns.push(job);
  }

  const legacyNames = new Set(legacyRuns.map(job => job.name));
  const movedNames = new Set(
    kubernetesRuns.map(job => job.name).filter(name => legacyNames.has(name)),
  );
  const compare = (runs: GitLabJob[]) =>
    movedNames.size > 0 ? runs.filter(job => movedNames.has(job.name)) : runs;
  const failureRate = (runs: GitLabJob[]) => {
    const finished = runs.filter(job => ['success', 'failed'].includes(job.status));
    if (finished.length === 0) return undefined;
    const failed = finished.filter(job => job.status === 'failed').length;
    return Math.round((failed / finished.length) * 1000) / 1000;
  };

  return {
    jobs: jobs.length,
    windowDays: options.windowDays,
    jobsByFleet,
    failureRateBefore: failureRate(compare(legacyRuns)),
    failureRateAfter: failureRate(compare(kubernetesRuns)),
  };
}

/**
 * Derives a project's migration phase from its CI tags, its recent jobs and
 * its findings:
 * - `legacy`: a job uses a legacy tag, or recent jobs ran only on the
 *   legacy fleet.
 * - `opted-in`: a job uses the temporary opt-in tag and none a legacy tag.
 * - `on-kubernetes`: neither tag, but recent jobs still ran on the legacy
 *   fleet or unwaived blockers remain, so some job may still need it.
 * - `migrated`: neither tag, no recent job on the legacy fleet and no
 *   unwaived blocker.
 */
export function derivePhase(
  usage: TagUsage,
  evidence: JobEvidence | undefined,
  findings: ScorecardFinding[],
  legacyFleetRef: string,
): MigrationPhase {
  if (usage.legacyTagJobs > 0) return 'legacy';
  if (usage.optInTagJobs > 0) return 'opted-in';
  const legacyJobs = evidence?.jobsByFleet[legacyFleetRef] ?? 0;
  if (evidence && evidence.jobs > 0 && legacyJobs === evidence.jobs) return 'legacy';
  const blockers = findings.filter(f => f.severity === 'blocker' && !f.waiver).length;
  if (legacyJobs > 0 || blockers > 0) return 'on-kubernetes';
  return 'migrated';
}
