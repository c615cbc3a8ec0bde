/**
 * A standalone HTTP server that speaks the subset of the GitLab REST API v4
 * that Runner Fleet uses, seeded with the example instance.
 *
 * @packageDocumentation
 */
export { startGitLabSimulator } from './server';
export type { RunningGitLabSimulator } from './server';
export { resolveOptions, SimulatorOptionsError } from './options';
export type { GitLabSimulatorOptions, LogLevel } from './options';
export { createSeedData, SimulatorInstance } from './instance';
export type {
  SeedData,
  SeedOptions,
  MergeRequestRecord,
  VariableRecord,
} from './instance';
export { jobStatusAt, pipelineStatusAt } from './jobs/store';
export type { JobRecord, JobStatus, PipelineRecord } from './jobs/store';
export { DEFAULT_BURST, recordedBurstTime } from './jobs/history';
export type { BurstOptions } from './jobs/history';
export { createTimeline, INSTANCE_RUNNER_COUNT } from './seed/runners';
export type { MigrationTimeline } from './seed/runners';
export { DEFAULT_ADMIN_TOKEN, userToken } from './seed/users';
export {
  BURST_PROJECT_PATH,
  BURST_JOB_COUNT,
  renderSyntheticCi,
} from './seed/synthetic';
export { findCorpusDir, loadCorpus } from './seed/corpus';
export type { CorpusProject } from './seed/corpus';
export { TrafficStats } from './http/traffic';
export type { FailPathRule } from './http/traffic';
export * from './model';
