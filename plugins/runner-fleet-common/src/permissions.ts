import { createPermission } from '@backstage/plugin-permission-common';

/** Read fleet load, runner lists and time series. @public */
export const runnerFleetReadPermission = createPermission({
  name: 'runner-fleet.fleet.read',
  attributes: { action: 'read' },
});

/** Read migration scorecards, their history and rollups. @public */
export const scorecardReadPermission = createPermission({
  name: 'runner-fleet.scorecard.read',
  attributes: { action: 'read' },
});

/** Start a re-check of a project's migration scorecard. @public */
export const scorecardRefreshPermission = createPermission({
  name: 'runner-fleet.scorecard.refresh',
  attributes: { action: 'update' },
});

/**
 * Request a runner, or runner configuration, for a GitLab project or group.
 * Policies decide it per project or group, for example by ownership.
 * @public
 */
export const runnerRequestPermission = createPermission({
  name: 'runner-fleet.runner.request',
  attributes: { action: 'create' },
});

/** Every permission of the Runner Fleet plugins. @public */
export const runnerFleetPermissions = [
  runnerFleetReadPermission,
  scorecardReadPermission,
  scorecardRefreshPermission,
  runnerRequestPermission,
];
