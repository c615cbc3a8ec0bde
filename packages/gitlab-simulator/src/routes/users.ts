import { Router } from 'express';
import { sendPage } from '../http/pagination';
import { optionalString, pathId } from '../http/params';
import { currentUser, notFound, RouteContext } from './context';

export function usersRouter(
  context: RouteContext,
  gitlabVersion: string,
): Router {
  const router = Router();
  const { instance, present } = context;

  router.get('/version', (_req, res) => {
    res.json({
      version: gitlabVersion,
      revision: 'simulated',
      kas: {
        enabled: false,
        externalUrl: null,
        externalK8sProxyUrl: null,
        version: null,
      },
      enterprise: false,
    });
  });

  router.get('/user', (_req, res) => {
    res.json(present.currentUser(currentUser(res)));
  });

  router.get('/users', (req, res) => {
    const username = optionalString(req, 'username')?.toLowerCase();
    const search = optionalString(req, 'search')?.toLowerCase();
    const users = instance.users.filter(
      user =>
        (username === undefined || user.username.toLowerCase() === username) &&
        (search === undefined ||
          user.username.toLowerCase().includes(search) ||
          user.name.toLowerCase().includes(search) ||
          user.email.toLowerCase() === search),
    );
    sendPage(req, res, users, user => present.user(user));
  });

  router.get('/users/:user_id', (req, res) => {
    const id = pathId(req.params.user_id, '404 User Not Found');
    const user = instance.users.find(candidate => candidate.id === id);
    if (!user) throw notFound('User');
    res.json(present.user(user));
  });

  return router;
}
