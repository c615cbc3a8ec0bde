/**
 * Scaffolder actions for Runner Fleet: render gitlab-runner Helm values,
 * create runners, request restricted pools, apply CI migrations and change
 * fleet entities.
 *
 * @packageDocumentation
 */

export { scaffolderModuleRunnerFleet as default } from './module';
export {
  createConfigRenderAction,
  type RunnerFleetActionOptions,
} from './actions/configRender';
export { createRunnerCreateAction } from './actions/runnerCreate';
export { createRequestCreateAction } from './actions/requestCreate';
export { createMigrationApplyAction } from './actions/migrationApply';
export { createProjectLocateAction } from './actions/projectLocate';
export { createFleetLendAction } from './actions/fleetLend';
export { createFleetAddClusterAction } from './actions/fleetAddCluster';
export {
  renderRunnerDeployment,
  type RenderOptions,
  type RenderedDeployment,
} from './lib/helmValues';
