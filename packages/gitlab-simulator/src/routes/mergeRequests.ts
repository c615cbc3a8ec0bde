import { Router } from 'express';
import { MergeRequestRecord, VariableRecord } from '../instance';
import { AccessLevel, User } from '../model';
import { sendPage } from '../http/pagination';
import {
  invalidParam,
  optionalBool,
  optionalEnum,
  optionalInt,
  optionalList,
  optionalString,
  pathId,
  requiredString,
} from '../http/params';
import { GitLabApiError } from '../repository/repositories';
import {
  currentUser,
  notFound,
  projectParam,
  requireProjectAccess,
  RouteContext,
} from './context';

const VARIABLE_KEY = /^[A-Za-z0-9_]{1,255}$/;
/** Characters GitLab allows in masked variable values (Base64 alphabet plus @:.~-). */
const MASKABLE_VALUE = /^[A-Za-z0-9+/=@:.~_-]{8,}$/;

export function mergeRequestsRouter(context: RouteContext): Router {
  const router = Router();
  const { instance, present } = context;

  const userById = (id: number | undefined): User | undefined =>
    id === undefined ? undefined : instance.users.find(user => user.id === id);

  router.post('/projects/:id/merge_requests', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.developer);
    const sourceBranch = requiredString(req, 'source_branch');
    const targetBranch = requiredString(req, 'target_branch');
    const title = requiredString(req, 'title');
    const sourceHead = instance.repositories.branchHead(project, sourceBranch);
    if (!sourceHead) {
      throw new GitLabApiError(400, {
        message: ['Source branch does not exist'],
      });
    }
    if (!instance.repositories.branchHead(project, targetBranch)) {
      throw new GitLabApiError(400, {
        message: ['Target branch does not exist'],
      });
    }
    if (sourceBranch === targetBranch) {
      throw new GitLabApiError(400, {
        message: ["You can't use same project/branch for source and target"],
      });
    }
    const list = instance.mergeRequests.get(project.id) ?? [];
    const open = list.find(
      mr =>
        mr.state === 'opened' &&
        mr.sourceBranch === sourceBranch &&
        mr.targetBranch === targetBranch,
    );
    if (open) {
      throw new GitLabApiError(409, {
        message: [
          `Another open merge request already exists for this source branch: !${open.iid}`,
        ],
      });
    }
    const reviewerIds = optionalList(req, 'reviewer_ids') ?? [];
    const mr: MergeRequestRecord = {
      id: instance.nextMergeRequest(),
      iid: list.length + 1,
      project,
      title,
      description: optionalString(req, 'description') ?? '',
      sourceBranch,
      targetBranch,
      author: currentUser(res),
      assignee: userById(optionalInt(req, 'assignee_id')),
      reviewers: reviewerIds
        .map(id => userById(Number(id)))
        .filter((user): user is User => user !== undefined),
      labels: optionalList(req, 'labels') ?? [],
      removeSourceBranch: optionalBool(req, 'remove_source_branch') ?? false,
      state: 'opened',
      createdAt: instance.now(),
      sha: sourceHead.id,
    };
    list.push(mr);
    instance.mergeRequests.set(project.id, list);
    context.logger.info(
      `Created merge request !${mr.iid} in project ${project.id}`,
    );
    res.status(201).json(present.mergeRequest(mr));
  });

  router.get('/projects/:id/merge_requests', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const state =
      optionalEnum(req, 'state', [
        'opened',
        'closed',
        'merged',
        'locked',
        'all',
      ] as const) ?? 'all';
    const sourceBranch = optionalString(req, 'source_branch');
    const targetBranch = optionalString(req, 'target_branch');
    const iids = optionalList(req, 'iids')?.map(Number);
    const list = (instance.mergeRequests.get(project.id) ?? []).filter(
      mr =>
        (state === 'all' || mr.state === state) &&
        (sourceBranch === undefined || mr.sourceBranch === sourceBranch) &&
        (targetBranch === undefined || mr.targetBranch === targetBranch) &&
        (iids === undefined || iids.includes(mr.iid)),
    );
    sendPage(req, res, [...list].reverse(), mr => present.mergeRequest(mr));
  });

  router.get('/projects/:id/merge_requests/:iid', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.guest);
    const iid = pathId(req.params.iid, '404 Merge Request Not Found');
    const mr = (instance.mergeRequests.get(project.id) ?? []).find(
      candidate => candidate.iid === iid,
    );
    if (!mr) throw notFound('Merge Request');
    res.json(present.mergeRequest(mr));
  });

  router.post('/projects/:id/variables', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.maintainer);
    const key = requiredString(req, 'key');
    const value = optionalString(req, 'value');
    if (value === undefined) throw invalidParam('value is missing');
    if (!VARIABLE_KEY.test(key)) {
      throw new GitLabApiError(400, {
        message: { key: ["can contain only letters, digits and '_'."] },
      });
    }
    const masked = optionalBool(req, 'masked') ?? false;
    const hidden = optionalBool(req, 'masked_and_hidden') ?? false;
    if ((masked || hidden) && !MASKABLE_VALUE.test(value)) {
      // The value itself is left out of the message: it is meant to be secret.
      throw new GitLabApiError(400, {
        message: {
          value: [
            'is invalid: a masked value needs at least 8 characters from the Base64 alphabet or @:.~-_',
          ],
        },
      });
    }
    const environmentScope = optionalString(req, 'environment_scope') || '*';
    const variables = instance.variables.get(project.id) ?? [];
    if (
      variables.some(
        variable =>
          variable.key === key &&
          variable.environmentScope === environmentScope,
      )
    ) {
      throw new GitLabApiError(400, {
        message: { key: [`(${key}) has already been taken`] },
      });
    }
    const variable: VariableRecord = {
      key,
      value,
      variableType:
        optionalEnum(req, 'variable_type', ['env_var', 'file'] as const) ??
        'env_var',
      protected: optionalBool(req, 'protected') ?? false,
      masked: masked || hidden,
      hidden,
      raw: optionalBool(req, 'raw') ?? false,
      environmentScope,
      description: optionalString(req, 'description') ?? null,
    };
    variables.push(variable);
    instance.variables.set(project.id, variables);
    context.logger.info(
      `Created CI/CD variable ${key} in project ${project.id}`,
    );
    res.status(201).json(present.variable(variable));
  });

  router.get('/projects/:id/variables', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.maintainer);
    sendPage(req, res, instance.variables.get(project.id) ?? [], variable =>
      present.variable(variable),
    );
  });

  router.get('/projects/:id/variables/:key', (req, res) => {
    const project = projectParam(context, req);
    requireProjectAccess(context, res, project, AccessLevel.maintainer);
    const variable = (instance.variables.get(project.id) ?? []).find(
      candidate => candidate.key === req.params.key,
    );
    if (!variable) throw notFound('Variable');
    res.json(present.variable(variable));
  });

  return router;
}
