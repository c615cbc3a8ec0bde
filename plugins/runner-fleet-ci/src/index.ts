/**
 * GitLab CI configuration tools for the Runner Fleet migration engine.
 *
 * @packageDocumentation
 */

export * from './model';
export * from './resolve';

// Migration rules, score, waivers and reports.
export * from './rules';
export * from './config';
export * from './waivers';
export * from './score';
export * from './fix';
export * from './report';
export { runCli } from './cli/main';
