/**
 * Entity model, validators, permissions and scorecard model shared by the
 * Runner Fleet frontend and backend plugins.
 *
 * @packageDocumentation
 */

export * from './entities';
export * from './validation';
export * from './permissions';
export * from './scorecard';
export * from './fleetLoad';
export * from './backendApi';
export * from './pools';
