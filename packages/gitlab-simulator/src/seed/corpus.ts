import findUp from 'find-up';
import fs from 'node:fs';
import path from 'node:path';

/** One upstream project of fixtures/corpus/gitlab-ci with its CI files. */
export interface CorpusProject {
  /** Folder name, for example `acts-project__acts`. */
  dir: string;
  /** Upstream repository, for example `acts-project/acts`. */
  upstream: string;
  /** Upstream commit of the entry file. */
  commit: string;
  /** Path of the CI entry file inside the project. */
  entryPath: string;
  /** Every stored file of the project: path to content. */
  files: Map<string, string>;
  /** Feature labels from SOURCES.tsv, of all files of the project. */
  features: string[];
}

const CORPUS_RELATIVE_PATH = path.join('fixtures', 'corpus', 'gitlab-ci');

/** Folder of this package, or the working folder when the package is not resolvable. */
export function simulatorPackageDir(): string {
  try {
    return path.dirname(
      require.resolve('@runner-fleet/gitlab-simulator/package.json'),
    );
  } catch {
    return process.cwd();
  }
}

/**
 * Finds fixtures/corpus/gitlab-ci by walking up from this package, so the
 * simulator works from any clone of the repository.
 */
export function findCorpusDir(
  start: string = simulatorPackageDir(),
): string | undefined {
  const sources = findUp.sync(path.join(CORPUS_RELATIVE_PATH, 'SOURCES.tsv'), {
    cwd: path.resolve(start),
  });
  return sources === undefined ? undefined : path.dirname(sources);
}

/**
 * Reads the corpus listed in SOURCES.tsv (columns dir, repo, path, commit,
 * bytes, features). Files listed there but missing on disk are skipped, and
 * their paths are returned in `missing`.
 */
export function loadCorpus(corpusDir: string): {
  projects: CorpusProject[];
  missing: string[];
} {
  const table = fs.readFileSync(path.join(corpusDir, 'SOURCES.tsv'), 'utf8');
  const rows = table
    .split('\n')
    .slice(1)
    .map(line => line.replace(/\r$/, ''))
    .filter(line => line.trim() !== '')
    .map(line => line.split('\t'));
  const byDir = new Map<string, CorpusProject>();
  const missing: string[] = [];
  for (const [dir, upstream, filePath, commit, , features = ''] of rows) {
    if (!dir || !filePath || dir.includes('..') || filePath.includes('..')) {
      continue;
    }
    const absolute = path.join(corpusDir, dir, filePath);
    if (!fs.existsSync(absolute)) {
      missing.push(`${dir}/${filePath}`);
      continue;
    }
    let project = byDir.get(dir);
    if (!project) {
      project = {
        dir,
        upstream,
        commit,
        entryPath: filePath,
        files: new Map(),
        features: [],
      };
      byDir.set(dir, project);
    }
    project.files.set(filePath, fs.readFileSync(absolute, 'utf8'));
    if (filePath === '.gitlab-ci.yml') {
      project.entryPath = filePath;
      project.commit = commit;
    }
    for (const feature of features.split(',')) {
      if (feature && !project.features.includes(feature)) {
        project.features.push(feature);
      }
    }
  }
  return { projects: [...byDir.values()], missing };
}
