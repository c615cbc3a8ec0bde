import { Request, Response, Router } from 'express';
import { AccessLevel, Group, Project } from '../model';
import { sendKeysetPage, sendPage } from '../http/pagination';
import {
  invalidParam,
  optionalBool,
  optionalEnum,
  optionalInt,
  optionalString,
  pathId,
} from '../http/params';
import {
  currentUser,
  groupParam,
  notFound,
  projectParam,
  RouteContext,
} from './context';

const PROJECT_ORDER = [
  'id',
  'name',
  'path',
  'created_at',
  'updated_at',
  'last_activity_at',
  'similarity',
] as const;
const ACCESS_LEVELS = [10, 20, 30, 40, 50];

function compareBy(field: (typeof PROJECT_ORDER)[number]) {
  return (a: Project, b: Project): number => {
    switch (field) {
      case 'name':
        return a.name.localeCompare(b.name) || a.id - b.id;
      case 'path':
        return a.path.localeCompare(b.path) || a.id - b.id;
      case 'created_at':
        return a.createdAt - b.createdAt || a.id - b.id;
      case 'updated_at':
      case 'last_activity_at':
        return a.lastActivityAt - b.lastActivityAt || a.id - b.id;
      default:
        return a.id - b.id;
    }
  };
}

function minAccessLevel(req: Request): number | undefined {
  const level = optionalInt(req, 'min_access_level');
  if (level !== undefined && !ACCESS_LEVELS.includes(level)) {
    throw invalidParam('min_access_level does not have a valid value');
  }
  return level;
}

export function projectsRouter(context: RouteContext): Router {
  const router = Router();
  const { instance, present } = context;

  const presentProject = (req: Request) => {
    const simple = optionalBool(req, 'simple') ?? false;
    return (project: Project) =>
      simple ? present.projectSimple(project) : present.project(project);
  };

  const filterProjects = (
    req: Request,
    res: Response,
    projects: readonly Project[],
  ) => {
    const user = currentUser(res);
    const search = optionalString(req, 'search')?.toLowerCase();
    const searchNamespaces = optionalBool(req, 'search_namespaces') ?? false;
    const membership = optionalBool(req, 'membership') ?? false;
    const owned = optionalBool(req, 'owned') ?? false;
    const archived = optionalBool(req, 'archived');
    const visibility = optionalEnum(req, 'visibility', [
      'private',
      'internal',
      'public',
    ] as const);
    const minLevel = minAccessLevel(req);
    return projects.filter(project => {
      const access = instance.projectAccess(user, project);
      if (membership && access === 0) return false;
      if (owned && access < AccessLevel.owner) return false;
      if (minLevel !== undefined && access < minLevel) return false;
      if (archived === true) return false;
      if (visibility !== undefined && visibility !== 'internal') return false;
      if (search !== undefined) {
        const haystack = searchNamespaces
          ? instance.fullPath(project).toLowerCase()
          : `${project.name.toLowerCase()} ${project.path.toLowerCase()}`;
        if (
          !haystack.includes(search) &&
          !(
            project.description.toLowerCase().includes(search) &&
            !searchNamespaces
          )
        ) {
          return false;
        }
      }
      return true;
    });
  };

  // Projects never change, so each ascending order of all of them is sorted once.
  const sortedProjects = new Map<string, Project[]>();
  const sortProjects = (
    scope: readonly Project[],
    orderBy: (typeof PROJECT_ORDER)[number],
  ): Project[] => {
    if (scope !== instance.projects) {
      return [...scope].sort(compareBy(orderBy));
    }
    let sorted = sortedProjects.get(orderBy);
    if (!sorted) {
      sorted = [...scope].sort(compareBy(orderBy));
      sortedProjects.set(orderBy, sorted);
    }
    return sorted;
  };

  const listProjects = (
    req: Request,
    res: Response,
    scope: readonly Project[],
  ) => {
    const orderBy =
      optionalEnum(req, 'order_by', PROJECT_ORDER) ?? 'created_at';
    const sort = optionalEnum(req, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    const projects = filterProjects(req, res, sortProjects(scope, orderBy));
    const keyset =
      optionalEnum(req, 'pagination', ['keyset', 'offset'] as const) ===
      'keyset';
    if (keyset) {
      if (orderBy !== 'id') {
        throw invalidParam('keyset pagination of projects needs order_by=id');
      }
      sendKeysetPage(req, res, projects, sort, presentProject(req));
      return;
    }
    const ordered = sort === 'desc' ? [...projects].reverse() : projects;
    sendPage(req, res, ordered, presentProject(req));
  };

  router.get('/projects', (req, res) =>
    listProjects(req, res, instance.projects),
  );

  router.get('/projects/:id', (req, res) => {
    res.json(present.project(projectParam(context, req)));
  });

  router.get('/groups', (req, res) => {
    const user = currentUser(res);
    const search = optionalString(req, 'search')?.toLowerCase();
    const owned = optionalBool(req, 'owned') ?? false;
    const minLevel = minAccessLevel(req);
    optionalBool(req, 'all_available');
    optionalBool(req, 'top_level_only');
    const orderBy =
      optionalEnum(req, 'order_by', [
        'name',
        'path',
        'id',
        'similarity',
      ] as const) ?? 'name';
    const sort = optionalEnum(req, 'sort', ['asc', 'desc'] as const) ?? 'asc';
    const groups = instance.groups
      .filter(group => {
        const access = instance.groupAccess(user, group);
        if (owned && access < AccessLevel.owner) return false;
        if (minLevel !== undefined && access < minLevel) return false;
        return (
          search === undefined ||
          group.name.toLowerCase().includes(search) ||
          group.path.includes(search)
        );
      })
      .sort((a: Group, b: Group) => {
        if (orderBy === 'id') return a.id - b.id;
        if (orderBy === 'path') return a.path.localeCompare(b.path);
        return a.name.localeCompare(b.name);
      });
    if (sort === 'desc') groups.reverse();
    sendPage(req, res, groups, group => present.group(group));
  });

  router.get('/groups/:id', (req, res) => {
    const group = groupParam(context, req);
    const withProjects = optionalBool(req, 'with_projects') ?? true;
    const body: Record<string, unknown> = { ...present.group(group) };
    if (withProjects) {
      // GitLab lists at most 100 projects in the group details.
      body.projects = instance.projects
        .filter(project => project.group === group)
        .slice(0, 100)
        .map(project => present.project(project));
      body.shared_projects = [];
    }
    res.json(body);
  });

  router.get('/groups/:id/projects', (req, res) => {
    const group = groupParam(context, req);
    listProjects(
      req,
      res,
      instance.projects.filter(project => project.group === group),
    );
  });

  const memberList = (group: Group) =>
    [...group.members.entries()]
      .map(([userId, level]) => ({ user: instance.users[userId - 1], level }))
      .filter(entry => entry.user !== undefined)
      .sort((a, b) => a.user.id - b.user.id);

  const sendMember = (res: Response, group: Group, userIdText: string) => {
    const userId = pathId(userIdText, '404 Member Not Found');
    const member = memberList(group).find(entry => entry.user.id === userId);
    if (!member) throw notFound('Member');
    res.json(present.member(member.user, member.level));
  };

  // Every membership is a group membership: projects have no direct members,
  // and members/all of a project lists the members inherited from its group.
  router.get('/projects/:id/members', (req, res) => {
    projectParam(context, req);
    sendPage(req, res, [], entry => entry);
  });
  router.get('/projects/:id/members/all', (req, res) => {
    const project = projectParam(context, req);
    sendPage(req, res, memberList(project.group), entry =>
      present.member(entry.user, entry.level),
    );
  });
  router.get('/projects/:id/members/all/:user_id', (req, res) => {
    sendMember(res, projectParam(context, req).group, req.params.user_id);
  });
  router.get('/projects/:id/members/:user_id', (req, _res) => {
    projectParam(context, req);
    pathId(req.params.user_id, '404 Member Not Found');
    throw notFound('Member');
  });
  for (const suffix of ['members/all', 'members']) {
    router.get(`/groups/:id/${suffix}`, (req, res) => {
      const group = groupParam(context, req);
      sendPage(req, res, memberList(group), entry =>
        present.member(entry.user, entry.level),
      );
    });
    router.get(`/groups/:id/${suffix}/:user_id`, (req, res) => {
      sendMember(res, groupParam(context, req), req.params.user_id);
    });
  }

  return router;
}
