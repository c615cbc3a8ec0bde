import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IncludeReadError, type IncludeReader } from './types';

export interface DirectoryReaderOptions {
  /** Folder with GitLab's CI templates, read for `include:template` by file name. */
  templatesDir?: string;
  /**
   * Folder with other projects' checkouts as `<projectsDir>/<group>/<project>/`,
   * read for `include:project` (the ref is ignored) and for components
   * (`<host>/<group>/<project>/<name>@<version>` reads
   * `templates/<name>.yml` or `templates/<name>/template.yml` there).
   */
  projectsDir?: string;
  /** The fetch used for remote includes; default the global fetch. */
  fetch?: typeof fetch;
  /** Time limit for one remote include, in milliseconds; default 10,000. */
  remoteTimeoutMs?: number;
}

/**
 * Creates an IncludeReader over a checkout on disk. Paths are resolved
 * inside `root` and symbolic links are followed only when their target is
 * inside it too; anything else is rejected with an IncludeReadError, which
 * the resolver reports as a ConfigError. Remote includes are fetched with
 * `options.fetch`; the resolver only calls it for allowed hosts.
 */
export function createDirectoryReader(
  root: string,
  options: DirectoryReaderOptions = {},
): IncludeReader {
  const rootDir = path.resolve(root);

  const reader: IncludeReader = {
    readLocal: file => readInside(rootDir, file, 'project root'),

    async readProject(project, file) {
      if (!options.projectsDir) return undefined;
      const projectDir = await insidePath(
        path.resolve(options.projectsDir),
        project,
        'projects folder',
      );
      return readInside(projectDir, file, `checkout of ${project}`);
    },

    async readTemplate(name) {
      if (!options.templatesDir) return undefined;
      return readInside(
        path.resolve(options.templatesDir),
        name,
        'templates folder',
      );
    },

    async readRemote(url) {
      const fetchImpl = options.fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, {
        signal: AbortSignal.timeout(options.remoteTimeoutMs ?? 10_000),
        redirect: 'error',
      });
      if (response.status === 404) return undefined;
      if (!response.ok) {
        throw new IncludeReadError(
          'include-missing',
          `Fetching the remote include ${url} failed with HTTP ${response.status}; check the URL.`,
        );
      }
      return response.text();
    },

    async readComponent(component) {
      if (!options.projectsDir) return undefined;
      const [address, version] = component.split('@');
      const segments = address.split('/');
      if (segments.length < 4 || !version) {
        throw new IncludeReadError(
          'invalid-config',
          `Component ${component} is not of the form <host>/<group>/<project>/<name>@<version>; fix the component address.`,
        );
      }
      const name = segments[segments.length - 1];
      const project = segments.slice(1, -1).join('/');
      const projectDir = await insidePath(
        path.resolve(options.projectsDir),
        project,
        'projects folder',
      );
      return (
        (await readInside(
          projectDir,
          `templates/${name}.yml`,
          `checkout of ${project}`,
        )) ??
        (await readInside(
          projectDir,
          `templates/${name}/template.yml`,
          `checkout of ${project}`,
        ))
      );
    },

    async globLocal(pattern) {
      const expression = globToRegExp(pattern.replace(/^\/+/, ''));
      const matches: string[] = [];
      await walk(rootDir, '', matches, expression);
      return matches.sort();
    },
  };
  return reader;
}

/** Resolves `relative` inside `base`, rejecting `..` escapes and absolute paths that leave it. */
async function insidePath(
  base: string,
  relative: string,
  label: string,
): Promise<string> {
  const cleaned = relative.replace(/^\/+/, '');
  const resolved = path.resolve(base, cleaned);
  if (resolved !== base && !resolved.startsWith(base + path.sep)) {
    throw new IncludeReadError(
      'include-not-allowed',
      `The path ${JSON.stringify(
        relative,
      )} leaves the ${label}; include files inside the project with a path relative to its root.`,
    );
  }
  return resolved;
}

async function readInside(
  base: string,
  relative: string,
  label: string,
): Promise<string | undefined> {
  const resolved = await insidePath(base, relative, label);
  let real: string;
  let realBase: string;
  try {
    real = await fs.realpath(resolved);
    realBase = await fs.realpath(base);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      return undefined;
    }
    throw error;
  }
  if (real !== realBase && !real.startsWith(realBase + path.sep)) {
    throw new IncludeReadError(
      'include-not-allowed',
      `The path ${JSON.stringify(
        relative,
      )} is a symbolic link that leaves the ${label}; include the target file by its path inside the project.`,
    );
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) return undefined;
  return fs.readFile(real, 'utf8');
}

/**
 * Converts a GitLab wildcard include to a regular expression: `*` matches
 * within one folder and `**` across folders.
 */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i];
    if (character === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i += 1;
      } else {
        source += '[^/]*';
      }
    } else {
      source += character.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

async function walk(
  base: string,
  relative: string,
  matches: string[],
  expression: RegExp,
): Promise<void> {
  const entries = await fs.readdir(path.join(base, relative), {
    withFileTypes: true,
  });
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      await walk(base, child, matches, expression);
    } else if (entry.isFile() && expression.test(child)) {
      matches.push(child);
    }
  }
}
