import { createSeedData, SeedOptions } from '../instance';
import { jobStatusAt } from '../jobs/store';
import { recordedBurstTime } from '../jobs/history';
import { renderSyntheticCi } from '../seed/synthetic';
import { parseCiYaml } from '../ci/yaml';
import { TEST_NOW } from './helpers';

const base: SeedOptions = {
  seed: 1,
  projects: 150,
  runners: 60,
  now: TEST_NOW,
  jobsPerDay: 3000,
  historyDays: 14,
  futureHours: 24,
  adminToken: 'glpat-test-admin-token',
};

function fingerprint(options: SeedOptions) {
  const data = createSeedData(options);
  return {
    runners: data.runners.map(runner => [
      runner.id,
      runner.description,
      runner.tagList.join(','),
      runner.managers.map(m => m.systemId).join(','),
    ]),
    projects: data.projects.map(project => [
      project.id,
      project.group.path,
      project.path,
      project.phase,
      project.hardwareTags.join(','),
    ]),
    jobs: data.store.jobs
      .slice(0, 500)
      .map(job => [
        job.id,
        job.pipeline.project.id,
        job.template.name,
        job.runner?.id ?? null,
        job.createdAt,
        job.startedAt,
        job.outcome,
      ]),
    jobCount: data.store.jobs.length,
  };
}

describe('seed', () => {
  it('is the same for the same seed', () => {
    expect(fingerprint(base)).toEqual(fingerprint(base));
  });

  it('differs for another seed', () => {
    const first = fingerprint(base);
    const second = fingerprint({ ...base, seed: 2 });
    expect(second.projects).not.toEqual(first.projects);
    expect(second.jobs).not.toEqual(first.jobs);
  });

  it('adds project and group runners up to the requested total', () => {
    const data = createSeedData({ ...base, runners: 200 });
    expect(data.runners).toHaveLength(200);
    expect(
      data.runners.filter(runner => runner.runnerType === 'instance_type'),
    ).toHaveLength(37);
    expect(
      data.runners.some(runner => runner.runnerType === 'group_type'),
    ).toBe(true);
    expect(
      data.runners.some(runner => runner.runnerType === 'project_type'),
    ).toBe(true);
    const projectRunner = data.runners.find(
      runner => runner.runnerType === 'project_type',
    )!;
    expect(
      data.store.runnerJobs(projectRunner.id).length,
    ).toBeGreaterThanOrEqual(0);
  });

  it('puts projects in the five groups with all migration phases', () => {
    const data = createSeedData(base);
    expect(new Set(data.projects.map(project => project.group.path))).toEqual(
      new Set([
        'physics',
        'ml',
        'hardware',
        'software',
        'accelerator-controls',
        'platform',
      ]),
    );
    expect(
      data.projects.filter(project => project.group.path === 'platform'),
    ).toHaveLength(1);
    expect(new Set(data.projects.map(project => project.phase))).toEqual(
      new Set(['legacy', 'opted-in', 'on-kubernetes', 'migrated']),
    );
    const corpusProjects = data.projects.filter(
      project => project.source.kind === 'corpus',
    );
    expect(corpusProjects.length).toBe(Math.min(data.corpus.length, 25));
    const hardware = new Set(
      data.projects.flatMap(project => project.hardwareTags),
    );
    for (const tag of ['cvmfs', 'arm64', 'gpu', 'fpga', 'spark']) {
      expect(hardware).toContain(tag);
    }
  });

  it('renders synthetic CI files whose tags follow the phase', () => {
    const data = createSeedData(base);
    const tagsOf = (phase: string) => {
      const project = data.projects.find(
        candidate =>
          candidate.source.kind === 'synthetic' &&
          candidate.phase === phase &&
          candidate.hardwareTags.length === 0 &&
          !candidate.projectRunnerTag,
      )!;
      const config = parseCiYaml(renderSyntheticCi(project)) as Record<
        string,
        any
      >;
      return config.build.tags;
    };
    expect(tagsOf('legacy')).toEqual(['docker']);
    expect(tagsOf('opted-in')).toEqual(['k8s-default']);
    expect(tagsOf('on-kubernetes')).toBeUndefined();
    expect(tagsOf('migrated')).toBeUndefined();
  });

  it('records a burst from 0 to 100 running jobs within a minute', () => {
    const data = createSeedData(base);
    const burstAt = recordedBurstTime(TEST_NOW);
    const burstJobs = data.store.jobs.filter(
      job =>
        job.template.name.startsWith('mc-production ') &&
        job.createdAt === burstAt,
    );
    expect(burstJobs).toHaveLength(100);
    const running = (at: number) =>
      burstJobs.filter(job => jobStatusAt(job, at) === 'running').length;
    expect(running(burstAt)).toBe(0);
    expect(running(burstAt + 30_000)).toBeGreaterThan(0);
    expect(running(burstAt + 30_000)).toBeLessThan(100);
    expect(running(burstAt + 60_000)).toBe(100);
    expect(
      burstJobs.every(
        job => job.runner?.fleet === 'fleet-k8s-default' && !job.runner.paused,
      ),
    ).toBe(true);
  });

  it('keeps the runner timeline: v2 takes no jobs after it was paused', () => {
    const data = createSeedData(base);
    const v2 = data.runners.filter(
      runner => runner.cluster === 'cluster-default-v2',
    );
    const pausedAt = TEST_NOW - 3 * 24 * 3600 * 1000;
    for (const runner of v2) {
      const jobs = data.store.runnerJobs(runner.id);
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.every(job => job.queuedAt < pausedAt)).toBe(true);
    }
  });

  it('leaves jobs with tags no runner has pending, then stuck', () => {
    const data = createSeedData(base);
    // Jobs after a failed stage are skipped without a runner; the others wait for one.
    const gpuJobs = data.store.jobs.filter(
      job => job.tags.includes('gpu') && job.outcome !== 'skipped',
    );
    expect(gpuJobs.length).toBeGreaterThan(0);
    expect(
      gpuJobs.every(
        job =>
          job.runner === null &&
          job.failureReason === 'stuck_or_timeout_failure',
      ),
    ).toBe(true);
    expect(jobStatusAt(gpuJobs[0], gpuJobs[0].queuedAt + 1000)).toBe('pending');
  });
});
