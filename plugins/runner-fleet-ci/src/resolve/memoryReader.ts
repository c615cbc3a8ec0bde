import type { IncludeReader } from './types';

/**
 * Creates an IncludeReader over in-memory files, for tests and for callers
 * that already hold the files. Keys are local paths,
 * `project:group/name:path` (optionally with `@ref`; a key without the ref
 * serves every ref), `template:Name`, `remote:URL` and `component:address`.
 * `reads` lists every key requested, in order.
 */
export function createMemoryReader(
  files: Record<string, string>,
): IncludeReader & { reads: string[] } {
  const reads: string[] = [];
  const get = (key: string) => {
    reads.push(key);
    return Object.prototype.hasOwnProperty.call(files, key)
      ? files[key]
      : undefined;
  };
  return {
    reads,
    readLocal: async path => get(path),
    readProject: async (project, path, ref) =>
      get(`project:${project}:${path}${ref ? `@${ref}` : ''}`) ??
      get(`project:${project}:${path}`),
    readTemplate: async name => get(`template:${name}`),
    readRemote: async url => get(`remote:${url}`),
    readComponent: async component => get(`component:${component}`),
  };
}
