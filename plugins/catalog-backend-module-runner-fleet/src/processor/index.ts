export { RunnerFleetEntitiesProcessor } from './RunnerFleetEntitiesProcessor';
export type { RunnerFleetEntitiesProcessorOptions } from './RunnerFleetEntitiesProcessor';
