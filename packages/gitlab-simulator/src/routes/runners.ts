import { Request, Response, Router } from 'express';
import { AccessLevel, Runner, RunnerType, User } from '../model';
import { sendPage } from '../http/pagination';
import {
  invalidParam,
  optionalBool,
  optionalEnum,
  optionalInt,
  optionalList,
  optionalString,
  pathId,
} from '../http/params';
import { JOB_STATUSES, JobStatus, jobStatusAt } from '../jobs/store';
import {
  currentUser,
  forbidden,
  groupParam,
  notFound,
  projectParam,
  requireProjectAccess,
  RouteContext,
} from './context';

const RUNNER_TYPES: readonly RunnerType[] = [
  'instance_type',
  'group_type',
  'project_type',
];
const RUNNER_STATUSES = [
  'online',
  'offline',
  'stale',
  'never_contacted',
  'active',
  'paused',
] as const;
const RUNNER_SCOPES = [
  'specific',
  'shared',
  'active',
  'paused',
  'online',
  'offline',
] as const;

/** Applies the filters of GET /runners and GET /runners/all. */
function filterRunners(
  context: RouteContext,
  req: Request,
  runners: Runner[],
): Runner[] {
  const type = optionalEnum(req, 'type', RUNNER_TYPES);
  const status = optionalEnum(req, 'status', RUNNER_STATUSES);
  const scope = optionalEnum(req, 'scope', RUNNER_SCOPES);
  const paused = optionalBool(req, 'paused');
  const tags = optionalList(req, 'tag_list');
  const versionPrefix = optionalString(req, 'version_prefix');
  const statusOf = (runner: Runner) => context.present.runnerStatus(runner);
  const matchesStatus = (runner: Runner, wanted: string) => {
    switch (wanted) {
      case 'active':
        return !runner.paused;
      case 'paused':
        return runner.paused;
      case 'specific':
        return runner.runnerType !== 'instance_type';
      case 'shared':
        return runner.runnerType === 'instance_type';
      case 'offline':
        // As in GitLab, offline includes stale runners.
        return statusOf(runner) === 'offline' || statusOf(runner) === 'stale';
      default:
        return statusOf(runner) === wanted;
    }
  };
  return runners.filter(
    runner =>
      (type === undefined || runner.runnerType === type) &&
      (status === undefined || matchesStatus(runner, status)) &&
      (scope === undefined || matchesStatus(runner, scope)) &&
      (paused === undefined || runner.paused === paused) &&
      (tags === undefined || tags.every(tag => runner.tagList.includes(tag))) &&
      (versionPrefix === undefined ||
        runner.managers.some(manager =>
          manager.version.startsWith(versionPrefix),
        )),
  );
}

export function runnersRouter(context: RouteContext): Router {
  const router = Router();
  const { instance, present } = context;

  const canManage = (user: User, runner: Runner) =>
    user.isAdmin || instance.runnersOfUser(user).includes(runner);

  const runnerParam = (
    req: Request,
    res: Response,
    requireManage: boolean,
  ): Runner => {
    const runner = instance.findRunner(
      pathId(req.params.runner_id, '404 Runner Not Found'),
    );
    if (!runner) throw notFound('Runner');
    const user = currentUser(res);
    if (requireManage || runner.runnerType !== 'instance_type') {
      if (!canManage(user, runner)) throw forbidden();
    }
    return runner;
  };

  router.get('/runners/all', (req, res) => {
    if (!currentUser(res).isAdmin) throw forbidden();
    sendPage(req, res, filterRunners(context, req, instance.runners), runner =>
      present.runnerSummary(runner),
    );
  });

  router.get('/runners', (req, res) => {
    const runners = instance.runnersOfUser(currentUser(res));
    sendPage(req, res, filterRunners(context, req, runners), runner =>
      present.runnerSummary(runner),
    );
  });

  // Runners a project or group can use: instance runners, runners of the
  // group and, for a project, its own project runners.
  router.get('/projects/:id/runners', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.maintainer);
    const runners = instance.runners.filter(
      runner =>
        runner.runnerType === 'instance_type' ||
        runner.groupIds.includes(project.group.id) ||
        runner.projectIds.includes(project.id),
    );
    sendPage(req, res, filterRunners(context, req, runners), runner =>
      present.runnerSummary(runner),
    );
  });

  router.get('/groups/:id/runners', (req, res) => {
    const group = groupParam(context, req);
    const user = currentUser(res);
    if (
      !user.isAdmin &&
      instance.groupAccess(user, group) < AccessLevel.owner
    ) {
      throw forbidden();
    }
    const runners = instance.runners.filter(
      runner =>
        runner.runnerType === 'instance_type' ||
        runner.groupIds.includes(group.id),
    );
    sendPage(req, res, filterRunners(context, req, runners), runner =>
      present.runnerSummary(runner),
    );
  });

  router.get('/runners/:runner_id', (req, res) => {
    res.json(present.runnerDetails(runnerParam(req, res, false)));
  });

  router.delete('/runners/:runner_id', (req, res) => {
    const runner = runnerParam(req, res, true);
    instance.removeRunner(runner.id);
    context.logger.info(`Deleted runner ${runner.id}`);
    res.status(204).end();
  });

  router.get('/runners/:runner_id/managers', (req, res) => {
    const runner = runnerParam(req, res, false);
    res.json(runner.managers.map(manager => present.manager(manager)));
  });

  router.get('/runners/:runner_id/jobs', (req, res) => {
    const runner = runnerParam(req, res, false);
    const user = currentUser(res);
    const status = optionalEnum(
      req,
      'status',
      JOB_STATUSES as readonly JobStatus[],
    );
    optionalEnum(req, 'order_by', ['id'] as const);
    const sort = optionalEnum(req, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    const systemId = optionalString(req, 'system_id');
    const managerIndex =
      systemId === undefined
        ? undefined
        : runner.managers.findIndex(manager => manager.systemId === systemId);
    if (managerIndex === -1) {
      throw notFound('Runner Manager');
    }
    const now = instance.now();
    const jobs = instance.store.runnerJobs(runner.id).filter(job => {
      if (job.createdAt > now) return false;
      // The runner's job list contains the jobs it has picked up.
      if (Number.isNaN(job.startedAt) || job.startedAt > now) return false;
      if (managerIndex !== undefined && job.managerIndex !== managerIndex)
        return false;
      if (status !== undefined && jobStatusAt(job, now) !== status)
        return false;
      return (
        user.isAdmin ||
        instance.projectAccess(user, job.pipeline.project) >=
          AccessLevel.reporter
      );
    });
    const ordered = sort === 'desc' ? [...jobs].reverse() : jobs;
    sendPage(req, res, ordered, job => present.job(job, true));
  });

  router.post('/user/runners', (req, res) => {
    const user = currentUser(res);
    const runnerType = optionalEnum(req, 'runner_type', RUNNER_TYPES);
    if (!runnerType) throw invalidParam('runner_type is missing');
    const groupId = optionalInt(req, 'group_id');
    const projectId = optionalInt(req, 'project_id');
    let groupIds: number[] = [];
    let projectIds: number[] = [];
    if (runnerType === 'instance_type') {
      if (!user.isAdmin) throw forbidden();
    } else if (runnerType === 'group_type') {
      if (groupId === undefined) throw invalidParam('group_id is missing');
      const group = instance.groups.find(candidate => candidate.id === groupId);
      if (!group) throw notFound('Group');
      if (
        !user.isAdmin &&
        instance.groupAccess(user, group) < AccessLevel.owner
      )
        throw forbidden();
      groupIds = [group.id];
    } else {
      if (projectId === undefined) throw invalidParam('project_id is missing');
      const project = instance.projects[projectId - 1];
      if (!project) throw notFound('Project');
      if (!instance.canInProject(user, project, AccessLevel.maintainer))
        throw forbidden();
      projectIds = [project.id];
    }
    const accessLevel =
      optionalEnum(req, 'access_level', [
        'not_protected',
        'ref_protected',
      ] as const) ?? 'not_protected';
    const maximumTimeout = optionalInt(req, 'maximum_timeout');
    if (maximumTimeout !== undefined && maximumTimeout < 600) {
      throw invalidParam(
        'maximum_timeout needs to be at least 600 seconds (10 minutes)',
      );
    }
    const tokenExpiresAt = optionalString(req, 'token_expires_at');
    if (
      tokenExpiresAt !== undefined &&
      Number.isNaN(Date.parse(tokenExpiresAt))
    ) {
      throw invalidParam(
        `token_expires_at is invalid: ${tokenExpiresAt} is not an ISO 8601 date`,
      );
    }
    const { runner, token } = instance.addRunner({
      description: optionalString(req, 'description') ?? '',
      runnerType,
      tagList: optionalList(req, 'tag_list') ?? [],
      runUntagged: optionalBool(req, 'run_untagged') ?? true,
      paused: optionalBool(req, 'paused') ?? false,
      locked: optionalBool(req, 'locked') ?? false,
      accessLevel,
      maximumTimeout: maximumTimeout ?? null,
      maintenanceNote: optionalString(req, 'maintenance_note') ?? null,
      createdAt: instance.now(),
      groupIds,
      projectIds,
      tokenExpiresAt: tokenExpiresAt
        ? new Date(tokenExpiresAt).toISOString()
        : null,
      createdByUserId: user.id,
    });
    res
      .status(201)
      .json({ id: runner.id, token, token_expires_at: runner.tokenExpiresAt });
  });

  return router;
}
