import type { Request, Response } from 'express';
import type { Logger } from 'winston';
import { SimulatorInstance } from '../instance';
import { Group, Project, User } from '../model';
import { Presenter } from '../http/present';
import { GitLabApiError } from '../repository/repositories';

export interface RouteContext {
  instance: SimulatorInstance;
  present: Presenter;
  logger: Logger;
}

export function notFound(what: string): GitLabApiError {
  return new GitLabApiError(404, { message: `404 ${what} Not Found` });
}

export function forbidden(): GitLabApiError {
  return new GitLabApiError(403, { message: '403 Forbidden' });
}

/** Returns the user of the request's token, which the auth middleware sets. */
export function currentUser(res: Response): User {
  return res.locals.user as User;
}

export function projectParam(context: RouteContext, req: Request): Project {
  const project = context.instance.findProject(req.params.id);
  if (!project) {
    throw notFound('Project');
  }
  return project;
}

export function groupParam(context: RouteContext, req: Request): Group {
  const group = context.instance.findGroup(req.params.id);
  if (!group) {
    throw notFound('Group');
  }
  return group;
}

export function requireProjectAccess(
  context: RouteContext,
  res: Response,
  project: Project,
  level: number,
) {
  if (!context.instance.canInProject(currentUser(res), project, level)) {
    throw forbidden();
  }
}
