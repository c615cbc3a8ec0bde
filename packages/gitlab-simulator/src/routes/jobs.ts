import { Request, Router } from 'express';
import { AccessLevel } from '../model';
import { perPageOf, requestUrl, sendPage } from '../http/pagination';
import {
  invalidParam,
  optionalEnum,
  optionalList,
  optionalString,
  pathId,
} from '../http/params';
import { JobRecord, jobStatusAt, pipelineStatusAt } from '../jobs/store';
import {
  currentUser,
  forbidden,
  notFound,
  projectParam,
  requireProjectAccess,
  RouteContext,
} from './context';

/** Statuses GitLab accepts in `scope`; the simulator never creates the last five. */
const JOB_SCOPES = [
  'created',
  'pending',
  'running',
  'failed',
  'success',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
  'waiting_for_resource',
  'preparing',
  'canceling',
];

function scopesOf(req: Request): string[] | undefined {
  const scopes = optionalList(req, 'scope');
  for (const scope of scopes ?? []) {
    if (!JOB_SCOPES.includes(scope)) {
      throw invalidParam(
        `scope does not have a valid value: ${scope} (use one of ${JOB_SCOPES.join(
          ', ',
        )})`,
      );
    }
  }
  return scopes && scopes.length > 0 ? scopes : undefined;
}

function decodeCursor(cursor: string): number {
  try {
    const decoded = JSON.parse(
      Buffer.from(cursor, 'base64').toString('utf8'),
    ) as { id?: unknown };
    if (typeof decoded.id === 'number') return decoded.id;
  } catch {
    // Reported below.
  }
  throw invalidParam(`cursor is invalid: ${cursor}`);
}

export function jobsRouter(context: RouteContext): Router {
  const router = Router();
  const { instance, present } = context;

  router.get('/projects/:id/jobs', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const scopes = scopesOf(req);
    optionalEnum(req, 'order_by', ['id'] as const);
    const sort = optionalEnum(req, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    const now = instance.now();
    const visible = instance.store
      .projectJobs(project.id)
      .filter(
        job =>
          job.createdAt <= now &&
          (scopes === undefined || scopes.includes(jobStatusAt(job, now))),
      );
    const ordered = sort === 'desc' ? [...visible].reverse() : visible;
    if (
      optionalEnum(req, 'pagination', ['keyset', 'offset'] as const) ===
      'keyset'
    ) {
      // GitLab's keyset pagination of jobs uses an opaque cursor in the next link.
      const cursor = optionalString(req, 'cursor');
      const afterId = cursor === undefined ? undefined : decodeCursor(cursor);
      const remaining =
        afterId === undefined
          ? ordered
          : ordered.filter(job =>
              sort === 'desc' ? job.id < afterId : job.id > afterId,
            );
      const perPage = perPageOf(req);
      const page = remaining.slice(0, perPage);
      res.setHeader('x-per-page', String(perPage));
      if (remaining.length > perPage) {
        const url = requestUrl(req);
        url.searchParams.set(
          'cursor',
          Buffer.from(
            JSON.stringify({ id: page[page.length - 1].id }),
          ).toString('base64'),
        );
        res.setHeader('Link', `<${url.toString()}>; rel="next"`);
      }
      res.json(page.map(job => present.job(job)));
      return;
    }
    sendPage(req, res, ordered, (job: JobRecord) => present.job(job));
  });

  // GitLab's instance-wide job list (`GET /jobs`) is for administrators only.
  router.get('/jobs', (req, res) => {
    if (!currentUser(res).isAdmin) throw forbidden();
    const scopes = scopesOf(req);
    const now = instance.now();
    const visible = instance.store
      .allJobs()
      .filter(
        job =>
          job.createdAt <= now &&
          (scopes === undefined || scopes.includes(jobStatusAt(job, now))),
      );
    sendPage(req, res, [...visible].reverse(), (job: JobRecord) =>
      present.job(job),
    );
  });

  router.get('/projects/:id/jobs/:job_id', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const job = instance.store.findJob(
      pathId(req.params.job_id, '404 Job Not Found'),
    );
    if (
      !job ||
      job.pipeline.project !== project ||
      job.createdAt > instance.now()
    )
      throw notFound('Job');
    res.json(present.job(job));
  });

  router.get('/projects/:id/pipelines', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const status = optionalString(req, 'status');
    const ref = optionalString(req, 'ref');
    const sha = optionalString(req, 'sha');
    const source = optionalString(req, 'source');
    optionalEnum(req, 'order_by', [
      'id',
      'status',
      'ref',
      'updated_at',
      'user_id',
    ] as const);
    const sort = optionalEnum(req, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    const now = instance.now();
    const pipelines = instance.store
      .projectPipelines(project.id)
      .filter(
        pipeline =>
          pipeline.createdAt <= now &&
          (ref === undefined || pipeline.ref === ref) &&
          (sha === undefined || pipeline.sha === sha) &&
          (source === undefined || pipeline.source === source) &&
          (status === undefined || pipelineStatusAt(pipeline, now) === status),
      );
    const ordered = sort === 'desc' ? [...pipelines].reverse() : pipelines;
    sendPage(req, res, ordered, pipeline => present.pipelineBasic(pipeline));
  });

  router.get('/projects/:id/pipelines/:pipeline_id/jobs', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const id = pathId(req.params.pipeline_id, '404 Pipeline Not Found');
    const pipeline = instance.store
      .projectPipelines(project.id)
      .find(candidate => candidate.id === id);
    const now = instance.now();
    if (!pipeline || pipeline.createdAt > now) throw notFound('Pipeline');
    const scopes = scopesOf(req);
    const jobs = pipeline.jobs.filter(
      job => scopes === undefined || scopes.includes(jobStatusAt(job, now)),
    );
    sendPage(req, res, [...jobs].reverse(), job => present.job(job));
  });

  return router;
}
