/**
 * Catalog backend module for Runner Fleet: validates fleet and hardware pool
 * resources and relates them to clusters and components.
 *
 * @packageDocumentation
 */

export { catalogModuleRunnerFleet as default } from './module';
export * from './processor';
export * from './providers';
