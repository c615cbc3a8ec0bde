export * from './AsyncContent';
export * from './format';
export * from './usePolledAsync';
export * from './colors';
