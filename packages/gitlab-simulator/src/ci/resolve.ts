import { isMapping, parseCiYaml } from './yaml';

/** Reads files for include resolution. Paths have no leading slash. */
export interface CiFileReader {
  /** Full path of the project the files belong to, for messages. */
  projectPath: string;
  readLocal(path: string): string | undefined;
  listLocal(): string[];
  /** Returns a reader for another project, or undefined if it does not exist. */
  openProject(projectPath: string, ref?: string): CiFileReader | undefined;
}

export interface IncludeRecord {
  type: 'local' | 'file' | 'remote' | 'template' | 'component';
  location: string;
  contextProject: string;
}

export interface ResolvedCiConfig {
  /** The merged configuration, or undefined when the entry file could not be parsed. */
  config?: Record<string, unknown>;
  errors: string[];
  warnings: string[];
  includes: IncludeRecord[];
}

/** Maximum number of included files; GitLab's default limit is 150. */
export const MAX_INCLUDES = 150;
const MAX_DEPTH = 100;

function normalizePath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/{2,}/g, '/');
}

function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i += 1;
    } else if (char === '*') {
      pattern += '[^/]*';
    } else {
      pattern += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${pattern}$`);
}

/** Deep-merges `overlay` onto `base` as GitLab merges included files: mappings merge, other values replace. */
export function deepMerge(
  base: Record<string, unknown>,
  overlay: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const existing = out[key];
    out[key] =
      isMapping(existing) && isMapping(value)
        ? deepMerge(existing, value)
        : value;
  }
  return out;
}

class IncludeResolver {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly includes: IncludeRecord[] = [];
  private rulesWarned = false;

  /** Parses `content` and returns it merged with everything it includes. */
  resolveFile(
    content: string,
    location: string,
    reader: CiFileReader,
    chain: string[],
  ): Record<string, unknown> | undefined {
    let parsed: unknown;
    try {
      parsed = parseCiYaml(content);
    } catch (error) {
      this.errors.push(
        `(${location}): ${(error as Error).message.split('\n')[0]}`,
      );
      return undefined;
    }
    if (parsed === null || parsed === undefined) {
      parsed = {};
    }
    if (!isMapping(parsed)) {
      this.errors.push(
        `${location}: Invalid configuration format: the file must contain a YAML mapping`,
      );
      return undefined;
    }
    const { include, ...rest } = parsed;
    if (include === undefined) {
      return rest;
    }
    let merged: Record<string, unknown> = {};
    for (const entry of Array.isArray(include) ? include : [include]) {
      const included = this.resolveEntry(entry, reader, chain);
      for (const config of included) {
        merged = deepMerge(merged, config);
      }
    }
    return deepMerge(merged, rest);
  }

  private resolveEntry(
    entry: unknown,
    reader: CiFileReader,
    chain: string[],
  ): Record<string, unknown>[] {
    if (typeof entry === 'string') {
      return /^https?:\/\//.test(entry)
        ? this.skip('remote', entry, reader)
        : this.includeLocal(entry, reader, chain);
    }
    if (!isMapping(entry)) {
      this.errors.push(
        `Included file entry ${JSON.stringify(
          entry,
        )} is invalid: use a path, or a mapping with local, project, remote, template or component`,
      );
      return [];
    }
    if (entry.rules !== undefined && !this.rulesWarned) {
      this.rulesWarned = true;
      this.warnings.push(
        'include:rules are not evaluated by the GitLab simulator; every included file was merged',
      );
    }
    if (typeof entry.local === 'string') {
      return this.includeLocal(entry.local, reader, chain);
    }
    if (typeof entry.project === 'string') {
      return this.includeProject(entry, reader, chain);
    }
    if (typeof entry.remote === 'string') {
      return this.skip('remote', entry.remote, reader);
    }
    if (typeof entry.template === 'string') {
      return this.skip('template', entry.template, reader);
    }
    if (typeof entry.component === 'string') {
      return this.skip('component', entry.component, reader);
    }
    this.errors.push(
      `Included file entry ${JSON.stringify(
        entry,
      )} is invalid: use a path, or a mapping with local, project, remote, template or component`,
    );
    return [];
  }

  private skip(
    type: IncludeRecord['type'],
    location: string,
    reader: CiFileReader,
  ) {
    this.includes.push({ type, location, contextProject: reader.projectPath });
    this.warnings.push(
      `include:${type} ${location} is not fetched by the GitLab simulator and is missing from merged_yaml`,
    );
    return [];
  }

  private count(): boolean {
    if (this.includes.length >= MAX_INCLUDES) {
      this.errors.push(`Maximum of ${MAX_INCLUDES} included files exceeded`);
      return false;
    }
    return true;
  }

  private includeLocal(
    rawPath: string,
    reader: CiFileReader,
    chain: string[],
  ): Record<string, unknown>[] {
    const path = normalizePath(rawPath);
    const paths = path.includes('*')
      ? reader
          .listLocal()
          .filter(candidate => /\.ya?ml$/.test(candidate))
          .filter(candidate => globToRegExp(path).test(candidate))
          .sort()
      : [path];
    const configs: Record<string, unknown>[] = [];
    for (const filePath of paths) {
      const key = `${reader.projectPath}:${filePath}`;
      if (chain.includes(key)) {
        this.errors.push(`Include cycle: ${[...chain, key].join(' -> ')}`);
        continue;
      }
      if (chain.length >= MAX_DEPTH) {
        this.errors.push(`Nested includes are limited to ${MAX_DEPTH} levels`);
        continue;
      }
      if (!this.count()) {
        return configs;
      }
      const content = reader.readLocal(filePath);
      this.includes.push({
        type: 'local',
        location: filePath,
        contextProject: reader.projectPath,
      });
      if (content === undefined) {
        this.errors.push(`Local file \`${filePath}\` does not exist!`);
        continue;
      }
      const config = this.resolveFile(content, filePath, reader, [
        ...chain,
        key,
      ]);
      if (config) {
        configs.push(config);
      }
    }
    return configs;
  }

  private includeProject(
    entry: Record<string, unknown>,
    reader: CiFileReader,
    chain: string[],
  ): Record<string, unknown>[] {
    const projectPath = entry.project as string;
    const ref = typeof entry.ref === 'string' ? entry.ref : undefined;
    const files = Array.isArray(entry.file) ? entry.file : [entry.file];
    const other = reader.openProject(projectPath, ref);
    const configs: Record<string, unknown>[] = [];
    for (const file of files) {
      if (typeof file !== 'string') {
        this.errors.push(
          `include:project ${projectPath} needs file: a path or a list of paths`,
        );
        continue;
      }
      if (!this.count()) {
        return configs;
      }
      const filePath = normalizePath(file);
      this.includes.push({
        type: 'file',
        location: filePath,
        contextProject: projectPath,
      });
      if (!other) {
        this.errors.push(
          `Project \`${projectPath}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.`,
        );
        continue;
      }
      const key = `${projectPath}:${filePath}`;
      if (chain.includes(key)) {
        this.errors.push(`Include cycle: ${[...chain, key].join(' -> ')}`);
        continue;
      }
      const content = other.readLocal(filePath);
      if (content === undefined) {
        this.errors.push(
          `Project \`${projectPath}\` file \`${filePath}\` does not exist!`,
        );
        continue;
      }
      const config = this.resolveFile(
        content,
        `${projectPath}/${filePath}`,
        other,
        [...chain, key],
      );
      if (config) {
        configs.push(config);
      }
    }
    return configs;
  }
}

/**
 * Merges a CI configuration with its `include` files. Local and project
 * includes of simulated projects are read; remote, template and component
 * includes are listed with a warning and left out.
 */
export function resolveCiConfig(
  entryPath: string,
  content: string,
  reader: CiFileReader,
): ResolvedCiConfig {
  const resolver = new IncludeResolver();
  const config = resolver.resolveFile(content, entryPath, reader, [
    `${reader.projectPath}:${normalizePath(entryPath)}`,
  ]);
  return {
    config,
    errors: resolver.errors,
    warnings: resolver.warnings,
    includes: resolver.includes,
  };
}
