export { resolvePipeline } from './resolvePipeline';
export {
  DEFAULT_MAX_ALIAS_COUNT,
  DEFAULT_MAX_EXPANDED_NODES,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_INCLUDES,
} from './resolvePipeline';
export { createDirectoryReader } from './directoryReader';
export { createMemoryReader } from './memoryReader';
export type { DirectoryReaderOptions } from './directoryReader';
export { IncludeReadError } from './types';
export type { IncludeReader, ResolveOptions } from './types';
export { MAX_EXTENDS_DEPTH } from './extends';
