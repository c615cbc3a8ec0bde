/**
 * Runner Fleet backend plugin: fleet load sampling, migration scorecards
 * and their REST API.
 *
 * @packageDocumentation
 */

export { runnerFleetPlugin as default } from './plugin';
export { readRunnerFleetOptions, type RunnerFleetOptions } from './config';
export type { GitLabApi } from './lib/gitlab';
export {
  createRunnerFleetMigrationFactRetriever,
  runnerFleetMigrationFactRetriever,
  techInsightsModuleRunnerFleet,
} from './techInsights';
