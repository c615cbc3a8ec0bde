import { createHash } from 'node:crypto';
import { Project, User } from '../model';

export interface FileEntry {
  content: Buffer;
  executable: boolean;
  /** Commit that last changed the file. */
  lastCommitId: string;
}

export interface CommitRecord {
  id: string;
  parentIds: string[];
  message: string;
  authorName: string;
  authorEmail: string;
  createdAt: number;
  tree: ReadonlyMap<string, FileEntry>;
  stats: { additions: number; deletions: number; total: number };
}

export interface TreeEntry {
  id: string;
  name: string;
  type: 'tree' | 'blob';
  path: string;
  mode: string;
}

/** A request error with GitLab's status and body. */
export class GitLabApiError extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(JSON.stringify(body));
  }
}

export function badRequest(message: string): GitLabApiError {
  return new GitLabApiError(400, { message });
}

export function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Computes the object ID that git gives a file's content. */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

interface RepositoryState {
  branches: Map<string, string>;
  commits: Map<string, CommitRecord>;
}

export interface CommitAction {
  action: 'create' | 'update' | 'delete' | 'move' | 'chmod';
  filePath: string;
  previousPath?: string;
  content?: Buffer;
  executeFilemode?: boolean;
  lastCommitId?: string;
}

const BRANCH_NAME_INVALID =
  /(^[-/.]|\/$|\.\.|[\s~^:?*[\\]|@\{|\.lock$|\/\/|^@$|\.$)/;

/** Returns whether `name` is a valid git branch name (git check-ref-format rules). */
export function isValidBranchName(name: string): boolean {
  const hasControlCharacter = [...name].some(
    char => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f,
  );
  return (
    name.length > 0 &&
    name.length <= 255 &&
    !BRANCH_NAME_INVALID.test(name) &&
    !hasControlCharacter
  );
}

function lineCount(content: Buffer | undefined): number {
  if (!content || content.length === 0) return 0;
  const text = content.toString('utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Git repositories of the simulated projects. A repository that was never
 * written to is derived from the seed on each read. The first branch or
 * commit creates its state, which then stays in memory.
 */
export class Repositories {
  private readonly states = new Map<number, RepositoryState>();
  private commitCounter = 0;

  constructor(
    private readonly seed: number,
    private readonly baseFiles: (
      project: Project,
    ) => ReadonlyMap<string, string>,
  ) {}

  /** Builds the first commit of a project from its seeded files. */
  private baseCommit(project: Project): CommitRecord {
    const id = sha1(`simulator:${this.seed}:${project.id}:initial`);
    const tree = new Map<string, FileEntry>();
    for (const [path, text] of this.baseFiles(project)) {
      tree.set(path, {
        content: Buffer.from(text, 'utf8'),
        executable: false,
        lastCommitId: id,
      });
    }
    return {
      id,
      parentIds: [],
      message: 'Add CI configuration\n',
      authorName: 'Administrator',
      authorEmail: 'admin@example.org',
      createdAt: project.createdAt,
      tree,
      stats: { additions: 0, deletions: 0, total: 0 },
    };
  }

  private state(project: Project): RepositoryState {
    let state = this.states.get(project.id);
    if (!state) {
      const base = this.baseCommit(project);
      state = {
        branches: new Map([[project.defaultBranch, base.id]]),
        commits: new Map([[base.id, base]]),
      };
      this.states.set(project.id, state);
    }
    return state;
  }

  branchNames(project: Project): string[] {
    const state = this.states.get(project.id);
    return state ? [...state.branches.keys()].sort() : [project.defaultBranch];
  }

  /** Resolves a branch name or a commit SHA (7 or more hex characters). */
  resolveRef(project: Project, ref: string): CommitRecord | undefined {
    const state = this.states.get(project.id);
    if (!state) {
      const base = this.baseCommit(project);
      return ref === project.defaultBranch ||
        (ref.length >= 7 && base.id.startsWith(ref))
        ? base
        : undefined;
    }
    const branchHead = state.branches.get(ref);
    if (branchHead) {
      return state.commits.get(branchHead);
    }
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      for (const commit of state.commits.values()) {
        if (commit.id.startsWith(ref)) return commit;
      }
    }
    return undefined;
  }

  /**
   * Lists commits from `head` along first parents, newest first. With
   * `filePath`, keeps the commits that changed that file or anything below
   * that folder, as `git log --first-parent -- path` does.
   */
  history(
    project: Project,
    head: CommitRecord,
    filePath?: string,
  ): CommitRecord[] {
    const state = this.states.get(project.id);
    const prefix = filePath?.replace(/^\/+|\/+$/g, '');
    const touched = (commit: CommitRecord, parent?: CommitRecord) => {
      if (!prefix) return true;
      const paths = new Set<string>();
      for (const tree of [commit.tree, parent?.tree ?? new Map()]) {
        for (const path of tree.keys()) {
          if (path === prefix || path.startsWith(`${prefix}/`)) paths.add(path);
        }
      }
      return [...paths].some(path => {
        const after = commit.tree.get(path);
        const before = parent?.tree.get(path);
        if (!after || !before) return true;
        return (
          after.executable !== before.executable ||
          !after.content.equals(before.content)
        );
      });
    };
    const commits: CommitRecord[] = [];
    let current: CommitRecord | undefined = head;
    while (current) {
      const parentId: string | undefined = current.parentIds[0];
      const parent: CommitRecord | undefined = parentId
        ? state?.commits.get(parentId)
        : undefined;
      if (touched(current, parent)) commits.push(current);
      current = parent;
    }
    return commits;
  }

  branchHead(project: Project, branch: string): CommitRecord | undefined {
    const state = this.states.get(project.id);
    if (!state) {
      return branch === project.defaultBranch
        ? this.baseCommit(project)
        : undefined;
    }
    const head = state.branches.get(branch);
    return head ? state.commits.get(head) : undefined;
  }

  createBranch(project: Project, branch: string, ref: string): CommitRecord {
    if (!isValidBranchName(branch)) {
      throw badRequest('Branch name is invalid');
    }
    const state = this.state(project);
    if (state.branches.has(branch)) {
      throw badRequest('Branch already exists');
    }
    const commit = this.resolveRef(project, ref);
    if (!commit) {
      throw badRequest(`Invalid reference name: ${ref}`);
    }
    state.branches.set(branch, commit.id);
    return commit;
  }

  /** Applies commit actions to `branch`, as POST /projects/:id/repository/commits does. */
  commit(
    project: Project,
    request: {
      branch: string;
      startBranch?: string;
      startSha?: string;
      message: string;
      actions: CommitAction[];
      author: User;
      authorName?: string;
      authorEmail?: string;
      at: number;
    },
  ): CommitRecord {
    const state = this.state(project);
    const existingHead = state.branches.get(request.branch);
    let parent: CommitRecord | undefined;
    if (request.startBranch || request.startSha) {
      if (existingHead && request.startBranch !== request.branch) {
        throw badRequest(
          `A branch called '${request.branch}' already exists. Switch to that branch in order to make changes`,
        );
      }
      parent = request.startSha
        ? this.resolveRef(project, request.startSha)
        : this.branchHead(project, request.startBranch!);
      if (!parent) {
        throw badRequest(
          `Invalid start reference: ${request.startSha ?? request.startBranch}`,
        );
      }
    } else if (existingHead) {
      parent = state.commits.get(existingHead);
    }
    if (!parent) {
      throw badRequest(
        'You can only create or edit files when you are on a branch',
      );
    }
    if (!isValidBranchName(request.branch)) {
      throw badRequest('Branch name is invalid');
    }

    this.commitCounter += 1;
    const id = sha1(
      `${parent.id}\n${request.message}\n${request.at}\n${this.commitCounter}\n${this.seed}`,
    );
    const tree = new Map(parent.tree);
    let additions = 0;
    let deletions = 0;
    for (const action of request.actions) {
      const existing = tree.get(action.filePath);
      if (
        action.lastCommitId &&
        existing &&
        existing.lastCommitId !== action.lastCommitId
      ) {
        throw badRequest(
          `The file has changed since you started editing it: ${action.filePath}`,
        );
      }
      switch (action.action) {
        case 'create':
          if (existing)
            throw badRequest(
              `A file with this name already exists: ${action.filePath}`,
            );
          tree.set(action.filePath, {
            content: action.content ?? Buffer.alloc(0),
            executable: action.executeFilemode ?? false,
            lastCommitId: id,
          });
          additions += lineCount(action.content);
          break;
        case 'update':
          if (!existing)
            throw badRequest(
              `A file with this name doesn't exist: ${action.filePath}`,
            );
          tree.set(action.filePath, {
            content: action.content ?? Buffer.alloc(0),
            executable: action.executeFilemode ?? existing.executable,
            lastCommitId: id,
          });
          additions += lineCount(action.content);
          deletions += lineCount(existing.content);
          break;
        case 'delete':
          if (!existing)
            throw badRequest(
              `A file with this name doesn't exist: ${action.filePath}`,
            );
          tree.delete(action.filePath);
          deletions += lineCount(existing.content);
          break;
        case 'move': {
          const previous = action.previousPath
            ? tree.get(action.previousPath)
            : undefined;
          if (!action.previousPath || !previous) {
            throw badRequest(
              `A file with this name doesn't exist: ${
                action.previousPath ?? '(previous_path is missing)'
              }`,
            );
          }
          if (existing)
            throw badRequest(
              `A file with this name already exists: ${action.filePath}`,
            );
          tree.delete(action.previousPath);
          tree.set(action.filePath, {
            content: action.content ?? previous.content,
            executable: action.executeFilemode ?? previous.executable,
            lastCommitId: id,
          });
          break;
        }
        case 'chmod':
          if (!existing)
            throw badRequest(
              `A file with this name doesn't exist: ${action.filePath}`,
            );
          tree.set(action.filePath, {
            ...existing,
            executable: action.executeFilemode ?? false,
            lastCommitId: id,
          });
          break;
        default:
          throw badRequest(
            `Unknown commit action ${String((action as CommitAction).action)}`,
          );
      }
    }
    const commit: CommitRecord = {
      id,
      parentIds: [parent.id],
      message: request.message,
      authorName: request.authorName ?? request.author.name,
      authorEmail: request.authorEmail ?? request.author.email,
      createdAt: request.at,
      tree,
      stats: { additions, deletions, total: additions + deletions },
    };
    state.commits.set(id, commit);
    state.branches.set(request.branch, id);
    return commit;
  }

  /** Lists a folder of a commit, or everything below it when `recursive`. Undefined when the folder does not exist. */
  tree(
    commit: CommitRecord,
    folder: string,
    recursive: boolean,
  ): TreeEntry[] | undefined {
    const prefix = folder.replace(/^\/+|\/+$/g, '');
    const base = prefix ? `${prefix}/` : '';
    const folders = new Map<string, string[]>();
    const blobs: TreeEntry[] = [];
    let found = prefix === '';
    for (const [path, entry] of commit.tree) {
      if (!path.startsWith(base)) continue;
      found = true;
      const rest = path.slice(base.length);
      const segments = rest.split('/');
      for (let depth = 1; depth < segments.length; depth += 1) {
        if (!recursive && depth > 1) break;
        const folderPath = base + segments.slice(0, depth).join('/');
        const children = folders.get(folderPath) ?? [];
        children.push(path);
        folders.set(folderPath, children);
      }
      if (segments.length === 1 || recursive) {
        blobs.push({
          id: gitBlobId(entry.content),
          name: segments[segments.length - 1],
          type: 'blob',
          path,
          mode: entry.executable ? '100755' : '100644',
        });
      }
    }
    if (!found) {
      return undefined;
    }
    const trees: TreeEntry[] = [...folders.entries()].map(
      ([path, children]) => ({
        id: sha1(`tree:${children.sort().join('\n')}`),
        name: path.split('/').pop()!,
        type: 'tree',
        path,
        mode: '040000',
      }),
    );
    const byPath = (a: TreeEntry, b: TreeEntry) => {
      if (a.path === b.path) return 0;
      return a.path < b.path ? -1 : 1;
    };
    return [...trees.sort(byPath), ...blobs.sort(byPath)];
  }
}
