import { Request, Response, Router } from 'express';
import { AccessLevel, Project } from '../model';
import { sendPage } from '../http/pagination';
import {
  invalidParam,
  optionalBool,
  optionalString,
  requiredString,
} from '../http/params';
import { tarGzArchive } from '../repository/archive';
import {
  CommitAction,
  CommitRecord,
  FileEntry,
  gitBlobId,
  sha256,
} from '../repository/repositories';
import {
  currentUser,
  notFound,
  projectParam,
  requireProjectAccess,
  RouteContext,
} from './context';

const COMMIT_ACTIONS = ['create', 'update', 'delete', 'move', 'chmod'] as const;

function parseActions(body: unknown): CommitAction[] {
  const actions = (body as { actions?: unknown })?.actions;
  if (actions === undefined) throw invalidParam('actions is missing');
  if (!Array.isArray(actions) || actions.length === 0)
    throw invalidParam('actions is empty: give at least one action');
  return actions.map((raw, index) => {
    const name = `actions[${index}]`;
    if (typeof raw !== 'object' || raw === null)
      throw invalidParam(`${name} is invalid`);
    const action = raw as Record<string, unknown>;
    if (!COMMIT_ACTIONS.includes(action.action as CommitAction['action'])) {
      throw invalidParam(
        `${name}[action] does not have a valid value (use one of ${COMMIT_ACTIONS.join(
          ', ',
        )})`,
      );
    }
    if (typeof action.file_path !== 'string' || action.file_path === '') {
      throw invalidParam(`${name}[file_path] is missing`);
    }
    const encoding = action.encoding ?? 'text';
    if (encoding !== 'text' && encoding !== 'base64') {
      throw invalidParam(
        `${name}[encoding] does not have a valid value (use text or base64)`,
      );
    }
    let content: Buffer | undefined;
    if (action.content !== undefined && action.content !== null) {
      if (typeof action.content !== 'string')
        throw invalidParam(`${name}[content] is invalid`);
      if (
        encoding === 'base64' &&
        !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(action.content)
      ) {
        throw invalidParam(`${name}[content] is not valid base64`);
      }
      content = Buffer.from(
        action.content,
        encoding === 'base64' ? 'base64' : 'utf8',
      );
    }
    return {
      action: action.action as CommitAction['action'],
      filePath: action.file_path.replace(/^\/+/, ''),
      previousPath:
        typeof action.previous_path === 'string'
          ? action.previous_path.replace(/^\/+/, '')
          : undefined,
      content,
      executeFilemode:
        typeof action.execute_filemode === 'boolean'
          ? action.execute_filemode
          : undefined,
      lastCommitId:
        typeof action.last_commit_id === 'string'
          ? action.last_commit_id
          : undefined,
    };
  });
}

export function repositoryRouter(context: RouteContext): Router {
  const router = Router();
  const { instance, present } = context;
  const repositories = instance.repositories;

  const commitAt = (project: Project, ref: string): CommitRecord => {
    const commit = repositories.resolveRef(project, ref);
    if (!commit) throw notFound('Commit');
    return commit;
  };

  const fileAt = (req: Request, res: Response, refRequired: boolean) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const ref = refRequired
      ? requiredString(req, 'ref')
      : optionalString(req, 'ref') || project.defaultBranch;
    const commit = commitAt(project, ref);
    const filePath = req.params.file_path.replace(/^\/+/, '');
    const file = commit.tree.get(filePath);
    if (!file) throw notFound('File');
    return { project, ref, commit, filePath, file };
  };

  const fileHeaders = (
    res: Response,
    info: {
      ref: string;
      commit: CommitRecord;
      filePath: string;
      file: FileEntry;
    },
  ) => {
    res.setHeader('X-Gitlab-Blob-Id', gitBlobId(info.file.content));
    res.setHeader('X-Gitlab-Commit-Id', info.commit.id);
    res.setHeader('X-Gitlab-Content-Sha256', sha256(info.file.content));
    res.setHeader('X-Gitlab-Encoding', 'base64');
    res.setHeader('X-Gitlab-Execute-Filemode', String(info.file.executable));
    res.setHeader('X-Gitlab-File-Name', info.filePath.split('/').pop()!);
    res.setHeader('X-Gitlab-File-Path', info.filePath);
    res.setHeader('X-Gitlab-Last-Commit-Id', info.file.lastCommitId);
    res.setHeader('X-Gitlab-Ref', info.ref);
    res.setHeader('X-Gitlab-Size', String(info.file.content.length));
  };

  router.get('/projects/:id/repository/files/:file_path/raw', (req, res) => {
    const info = fileAt(req, res, false);
    fileHeaders(res, info);
    res.type('text/plain').send(info.file.content);
  });

  router.head('/projects/:id/repository/files/:file_path', (req, res) => {
    const info = fileAt(req, res, true);
    fileHeaders(res, info);
    res.status(200).end();
  });

  router.get('/projects/:id/repository/files/:file_path', (req, res) => {
    const info = fileAt(req, res, true);
    fileHeaders(res, info);
    res.json({
      file_name: info.filePath.split('/').pop(),
      file_path: info.filePath,
      size: info.file.content.length,
      encoding: 'base64',
      content_sha256: sha256(info.file.content),
      ref: info.ref,
      blob_id: gitBlobId(info.file.content),
      commit_id: info.commit.id,
      last_commit_id: info.file.lastCommitId,
      execute_filemode: info.file.executable,
      content: info.file.content.toString('base64'),
    });
  });

  router.get('/projects/:id/repository/tree', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const commit = commitAt(
      project,
      optionalString(req, 'ref') || project.defaultBranch,
    );
    const entries = repositories.tree(
      commit,
      optionalString(req, 'path') ?? '',
      optionalBool(req, 'recursive') ?? false,
    );
    if (!entries) throw notFound('Tree');
    sendPage(req, res, entries, entry => entry);
  });

  router.get('/projects/:id/repository/branches', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const search = optionalString(req, 'search')?.toLowerCase();
    const names = repositories
      .branchNames(project)
      .filter(
        name => search === undefined || name.toLowerCase().includes(search),
      );
    sendPage(req, res, names, name =>
      present.branch(project, name, repositories.branchHead(project, name)!),
    );
  });

  router.get('/projects/:id/repository/branches/:branch', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const head = repositories.branchHead(project, req.params.branch);
    if (!head) throw notFound('Branch');
    res.json(present.branch(project, req.params.branch, head));
  });

  router.post('/projects/:id/repository/branches', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.developer);
    const branch = requiredString(req, 'branch');
    const ref = requiredString(req, 'ref');
    const commit = repositories.createBranch(project, branch, ref);
    context.logger.info(`Created branch ${branch} in project ${project.id}`);
    res.status(201).json(present.branch(project, branch, commit));
  });

  router.get('/projects/:id/repository/commits', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const ref = optionalString(req, 'ref_name') || project.defaultBranch;
    const head = repositories.resolveRef(project, ref);
    if (!head) throw notFound('Commit');
    const filePath = optionalString(req, 'path');
    if (
      optionalBool(req, 'all') ||
      optionalString(req, 'since') ||
      optionalString(req, 'until')
    ) {
      throw invalidParam(
        'all, since and until are not supported by the simulator; list one ref_name instead',
      );
    }
    sendPage(req, res, repositories.history(project, head, filePath), commit =>
      present.commit(project, commit),
    );
  });

  const sendArchive = (req: Request, res: Response, format: string) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    if (format !== 'tar.gz' && format !== 'tgz') {
      throw invalidParam(
        `format ${format} is not supported by the simulator; use archive or archive.tar.gz`,
      );
    }
    const ref = optionalString(req, 'sha') || project.defaultBranch;
    const commit = commitAt(project, ref);
    const folder = (optionalString(req, 'path') ?? '').replace(
      /^\/+|\/+$/g,
      '',
    );
    if (folder && !repositories.tree(commit, folder, false)) {
      throw notFound('File');
    }
    const refPart = ref.replace(/[^A-Za-z0-9._-]/g, '-');
    const root = [project.path, refPart, commit.id, folder.replace(/\//g, '-')]
      .filter(Boolean)
      .join('-');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${root}.tar.gz"`,
    );
    res
      .type('application/octet-stream')
      .send(tarGzArchive(commit, root, folder));
  };

  router.get('/projects/:id/repository/archive', (req, res) =>
    sendArchive(req, res, 'tar.gz'),
  );
  router.get('/projects/:id/repository/archive.:format(*)', (req, res) =>
    sendArchive(req, res, req.params.format),
  );

  router.get('/projects/:id/repository/commits/:sha', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const commit = commitAt(project, req.params.sha);
    res.json({
      ...present.commit(project, commit),
      stats: commit.stats,
      status: null,
      project_id: project.id,
      last_pipeline: null,
    });
  });

  router.post('/projects/:id/repository/commits', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.developer);
    const branch = requiredString(req, 'branch');
    const message = requiredString(req, 'commit_message');
    const actions = parseActions(req.body);
    const commit = repositories.commit(project, {
      branch,
      startBranch: optionalString(req, 'start_branch'),
      startSha: optionalString(req, 'start_sha'),
      message,
      actions,
      author: currentUser(res),
      authorName: optionalString(req, 'author_name'),
      authorEmail: optionalString(req, 'author_email'),
      at: instance.now(),
    });
    context.logger.info(
      `Committed ${actions.length} file actions to ${branch} in project ${project.id}`,
    );
    res.status(201).json({
      ...present.commit(project, commit),
      stats: commit.stats,
      status: null,
      project_id: project.id,
      last_pipeline: null,
    });
  });

  return router;
}
