/**
 * Runner Fleet frontend plugin: fleet dashboards, migration scorecards and
 * catalog entity content for GitLab runner fleets, clusters and hardware pools.
 *
 * @packageDocumentation
 */

export * from './plugin';
export * from './api';
export {
  isGitLabProjectEntity,
  isHardwarePoolEntity,
  isKubernetesClusterEntity,
  isRunnerFleetEntity,
} from './components/entityPredicates';
