import type { ObservedRunner } from '../lib/liveFacts';

/** Builds an observed runner for tests; fields not given get online, unpaused defaults. */
export function observedRunner(
  id: number,
  overrides: Partial<ObservedRunner> = {},
): ObservedRunner {
  return {
    id,
    description: `runner ${id}`,
    runnerType: 'instance_type',
    paused: false,
    tags: [],
    runUntagged: false,
    reportedStatus: 'online',
    contactedAt: '2026-12-04T11:59:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    managers: [],
    managersKnown: true,
    ...overrides,
  };
}
