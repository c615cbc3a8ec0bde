export * from './RunnerFleetApi';
export * from './RunnerFleetClient';
export * from './types';
