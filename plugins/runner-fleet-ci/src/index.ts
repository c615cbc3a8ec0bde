/**
 * GitLab CI configuration tools for the Runner Fleet migration engine.
 *
 * @packageDocumentation
 */

export * from './model';
export * from './resolve';
