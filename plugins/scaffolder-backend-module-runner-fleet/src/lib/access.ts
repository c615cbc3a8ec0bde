import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { UserEntity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { runnerRequestPermission } from '@runner-fleet/plugin-runner-fleet-common';
import { type GitlabApi, gitlabStatus, sanitizeGitlabError } from './gitlab';

/** Annotation that maps a catalog user to a GitLab username. */
export const GITLAB_USERNAME_ANNOTATION = 'gitlab.com/username';

/** GitLab's access level for Owners. */
export const OWNER_ACCESS_LEVEL = 50;

const ACCESS_LEVEL_NAMES: Record<number, string> = {
  0: 'No access',
  5: 'Minimal access',
  10: 'Guest',
  15: 'Planner',
  20: 'Reporter',
  30: 'Developer',
  40: 'Maintainer',
  50: 'Owner',
};

/** The GitLab project or group a runner is requested for. */
export interface RunnerTarget {
  kind: 'project' | 'group';
  /** Full path, for example `physics/atlas-analysis`. */
  path: string;
}

/** The outcome of a granted request: the ids GitLab uses. */
export interface AuthorizedTarget {
  targetId: number;
  gitlabUserId: number;
  gitlabUsername: string;
}

/**
 * Returns the GitLab username of a catalog user: the `gitlab.com/username`
 * annotation, or else the entity name.
 */
export function gitlabUsernameOf(user: UserEntity): string {
  return (
    user.metadata.annotations?.[GITLAB_USERNAME_ANNOTATION] ??
    user.metadata.name
  );
}

/**
 * Checks that the task's initiator may request a runner for `target`:
 * the permission framework must allow `runner-fleet.runner.request`, and the
 * user must hold `minimumAccessLevel` (default Owner, 50) on the project or
 * group in GitLab, directly or through an ancestor group.
 * Throws `NotAllowedError` with the reason when either check fails.
 */
export async function authorizeRunnerRequest(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  user?: { entity?: UserEntity; ref?: string };
  gitlab: GitlabApi;
  target: RunnerTarget;
  /** Lowest GitLab access level that passes; default Owner (50). */
  minimumAccessLevel?: number;
}): Promise<AuthorizedTarget> {
  const { permissions, credentials, user, gitlab, target } = options;
  const minimumAccessLevel = options.minimumAccessLevel ?? OWNER_ACCESS_LEVEL;
  const userLabel = user?.ref ?? 'the task initiator';

  const [decision] = await permissions.authorize(
    [{ permission: runnerRequestPermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${userLabel} may not request runners: the permission policy denied ${runnerRequestPermission.name}`,
    );
  }

  if (!user?.entity) {
    throw new NotAllowedError(
      `${userLabel} has no user entity in the catalog, so their GitLab account is unknown; sign in as a catalog user`,
    );
  }
  const username = gitlabUsernameOf(user.entity);

  let gitlabUserId: number;
  try {
    const users = await gitlab.Users.all({ username, maxPages: 1 });
    const match = users.find(u => u.username === username);
    if (!match) {
      throw new NotAllowedError(
        `GitLab has no user named ${username} (from ${userLabel}); set the ${GITLAB_USERNAME_ANNOTATION} annotation on the user entity`,
      );
    }
    gitlabUserId = match.id;
  } catch (error) {
    if (error instanceof NotAllowedError) {
      throw error;
    }
    throw sanitizeGitlabError(`user lookup for ${username}`, error);
  }

  let targetId: number;
  try {
    const resource =
      target.kind === 'project'
        ? await gitlab.Projects.show(target.path)
        : await gitlab.Groups.show(target.path);
    targetId = resource.id as number;
  } catch (error) {
    if (gitlabStatus(error) === 404) {
      throw new NotFoundError(
        `GitLab ${target.kind} ${target.path} was not found; check the path`,
      );
    }
    throw sanitizeGitlabError(`${target.kind} lookup for ${target.path}`, error);
  }

  let accessLevel = 0;
  try {
    const member =
      target.kind === 'project'
        ? await gitlab.ProjectMembers.show(targetId, gitlabUserId, {
            includeInherited: true,
          })
        : await gitlab.GroupMembers.show(targetId, gitlabUserId, {
            includeInherited: true,
          });
    accessLevel = Number(member.access_level);
  } catch (error) {
    if (gitlabStatus(error) !== 404) {
      throw sanitizeGitlabError(
        `membership lookup on ${target.kind} ${target.path}`,
        error,
      );
    }
  }
  if (accessLevel < minimumAccessLevel) {
    const role = ACCESS_LEVEL_NAMES[accessLevel] ?? `level ${accessLevel}`;
    const required =
      minimumAccessLevel === OWNER_ACCESS_LEVEL
        ? 'only Owners may request runners for it'
        : `this needs the ${ACCESS_LEVEL_NAMES[minimumAccessLevel] ?? `level ${minimumAccessLevel}`} role or higher`;
    throw new NotAllowedError(
      `${username} is ${accessLevel === 0 ? 'not a member' : `a ${role}`} of GitLab ${target.kind} ${target.path}; ${required}`,
    );
  }

  return { targetId, gitlabUserId, gitlabUsername: username };
}
