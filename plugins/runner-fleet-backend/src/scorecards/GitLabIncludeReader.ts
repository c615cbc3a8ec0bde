import { IncludeReadError, type IncludeReader } from '@runner-fleet/ci';
import { minimatch } from 'minimatch';
import type { GitLabApi, GitLabFileHead } from '../lib/gitlab';
import type { CiFingerprint, ScorecardStore } from '../database/ScorecardStore';

/**
 * Memo of `HEAD` results for files of other projects, shared by all
 * evaluations of one scheduler run, so a template project that thousands
 * of projects include costs one request per run.
 */
export type SharedHeadCache = Map<string, Promise<GitLabFileHead | undefined>>;

/** Counters of one evaluation, for logs, tests and the benchmark. */
export interface ReaderStats {
  /** Requests for file contents; cache hits by blob id do not count. */
  contentFetches: number;
  headRequests: number;
}

const REMOTE_TIMEOUT_MS = 10_000;

/**
 * An IncludeReader over the GitLab API that looks up each file's blob id
 * with a `HEAD` request and reads the content only when the blob is not in
 * the shared `ci_blobs` table. It records every file it read, with its blob
 * id, so the next evaluation can tell whether anything changed.
 */
export class GitLabIncludeReader implements IncludeReader {
  readonly localFiles: CiFingerprint['localFiles'] = [];
  readonly projectFiles: CiFingerprint['projectFiles'] = [];
  hasRemote = false;
  readonly stats: ReaderStats = { contentFetches: 0, headRequests: 0 };
  private fileList?: Promise<string[]>;

  constructor(
    private readonly options: {
      gitlab: GitLabApi;
      store: ScorecardStore;
      /** GitLab id or path of the project being evaluated. */
      project: number | string;
      ref: string;
      nowMs: number;
      sharedHeads: SharedHeadCache;
    },
  ) {}

  /** Reads a file through the blob cache, given its `HEAD` result. */
  async readByHead(
    project: number | string,
    path: string,
    ref: string,
    head: GitLabFileHead,
  ): Promise<string | undefined> {
    const { gitlab, store, nowMs } = this.options;
    const cached = await store.getBlob(head.blobId, nowMs);
    if (cached !== undefined) return cached;
    this.stats.contentFetches += 1;
    const text = await gitlab.readFile(project, path, ref);
    if (text !== undefined) await store.putBlob(head.blobId, text, nowMs);
    return text;
  }

  async headLocal(path: string): Promise<GitLabFileHead | undefined> {
    this.stats.headRequests += 1;
    return this.options.gitlab.headFile(this.options.project, path, this.options.ref);
  }

  headShared(project: string, path: string, ref: string): Promise<GitLabFileHead | undefined> {
    const key = `${project}\u0000${path}\u0000${ref}`;
    let head = this.options.sharedHeads.get(key);
    if (!head) {
      this.stats.headRequests += 1;
      head = this.options.gitlab.headFile(project, path, ref);
      this.options.sharedHeads.set(key, head);
      // A failed lookup is not memoised, so the next project retries it.
      head.catch(() => this.options.sharedHeads.delete(key));
    }
    return head;
  }

  async readLocal(path: string): Promise<string | undefined> {
    const normalized = path.replace(/^\/+/, '');
    if (normalized.split('/').includes('..')) {
      throw new IncludeReadError(
        'include-not-allowed',
        `Local include "${path}" leaves the repository root; use a path inside the project`,
      );
    }
    const head = await this.headLocal(normalized);
    this.localFiles.push({ path: normalized, blobId: head?.blobId });
    if (!head) return undefined;
    return this.readByHead(this.options.project, normalized, this.options.ref, head);
  }

  async readProject(project: string, path: string, ref?: string): Promise<string | undefined> {
    const normalized = path.replace(/^\/+/, '');
    // `HEAD` as a ref makes GitLab use the project's default branch, as an include without `ref` does.
    const effectiveRef = ref ?? 'HEAD';
    const head = await this.headShared(project, normalized, effectiveRef);
    this.projectFiles.push({ project, path: normalized, ref: effectiveRef, blobId: head?.blobId });
    if (!head) return undefined;
    return this.readByHead(project, normalized, effectiveRef, head);
  }

  async readTemplate(name: string): Promise<string | undefined> {
    this.stats.contentFetches += 1;
    return this.options.gitlab.readTemplate(name);
  }

  async readRemote(url: string): Promise<string | undefined> {
    // The resolver only calls this for hosts in `allowedRemoteHosts`.
    this.hasRemote = true;
    this.stats.contentFetches += 1;
    const response = await fetch(url, { signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS) });
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new IncludeReadError(
        'include-missing',
        `Remote include ${url} returned HTTP ${response.status}`,
      );
    }
    return response.text();
  }

  async globLocal(pattern: string): Promise<string[]> {
    this.fileList ??= this.options.gitlab.listFiles(this.options.project, this.options.ref);
    const files = await this.fileList;
    const normalized = pattern.replace(/^\/+/, '');
    return files.filter(file => minimatch(file, normalized, { dot: true })).sort();
  }
}
