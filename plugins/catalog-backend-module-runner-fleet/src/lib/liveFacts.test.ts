import {
  classifyRunner,
  compareVersionsNewestFirst,
  computeLiveFacts,
} from './liveFacts';
import { observedRunner } from '../__testUtils__/observedRunner';

const now = new Date('2026-12-04T12:00:00.000Z');
const minutesAgo = (minutes: number) =>
  new Date(now.getTime() - minutes * 60_000).toISOString();
const DAY_MINUTES = 24 * 60;

describe('classifyRunner', () => {
  it.each([
    ['contact 1 minute ago', { contactedAt: minutesAgo(1) }, 'online'],
    ['contact exactly 2 hours ago', { contactedAt: minutesAgo(120) }, 'online'],
    [
      'contact 2 hours 1 minute ago',
      { contactedAt: minutesAgo(121) },
      'offline',
    ],
    [
      'contact 6 days ago',
      { contactedAt: minutesAgo(6 * DAY_MINUTES) },
      'offline',
    ],
    [
      'contact 8 days ago',
      { contactedAt: minutesAgo(8 * DAY_MINUTES) },
      'stale',
    ],
    [
      'never contacted, created yesterday',
      { contactedAt: undefined, createdAt: minutesAgo(DAY_MINUTES) },
      'never_contacted',
    ],
    [
      'never contacted, created 8 days ago',
      { contactedAt: undefined, createdAt: minutesAgo(8 * DAY_MINUTES) },
      'stale',
    ],
    [
      'no times at all',
      {
        contactedAt: undefined,
        createdAt: undefined,
        reportedStatus: 'offline' as const,
      },
      'offline',
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(classifyRunner(observedRunner(1, overrides), now.getTime())).toBe(
      expected,
    );
  });

  it('uses the latest manager contact', () => {
    const runner = observedRunner(1, {
      contactedAt: minutesAgo(3 * DAY_MINUTES),
      managers: [
        { systemId: 's_1', contactedAt: minutesAgo(5) },
        { systemId: 's_2', contactedAt: minutesAgo(9 * DAY_MINUTES) },
      ],
    });

    expect(classifyRunner(runner, now.getTime())).toBe('online');
  });
});

describe('compareVersionsNewestFirst', () => {
  it('sorts releases, pre-releases and odd values', () => {
    const versions = [
      '17.11.3',
      'unknown',
      '18.6.0~pre.123.g1234abcd',
      '18.5.1',
      '18.6.0',
      '9.5.0',
    ];

    expect(versions.sort(compareVersionsNewestFirst)).toEqual([
      '18.6.0',
      '18.6.0~pre.123.g1234abcd',
      '18.5.1',
      '17.11.3',
      '9.5.0',
      'unknown',
    ]);
  });
});

describe('computeLiveFacts', () => {
  it('counts statuses and merges manager facts', () => {
    const runners = [
      observedRunner(3, {
        tags: ['k8s-default'],
        runUntagged: true,
        managers: [
          { systemId: 's_a', version: '18.5.1', architecture: 'amd64' },
          { systemId: 's_b', version: '18.6.0', architecture: 'amd64' },
        ],
      }),
      observedRunner(1, {
        tags: ['k8s-default'],
        paused: true,
        contactedAt: minutesAgo(3 * 60),
        managers: [
          { systemId: 's_c', version: '18.5.1', architecture: 'arm64' },
        ],
      }),
      observedRunner(2, {
        tags: ['docker'],
        contactedAt: minutesAgo(10 * DAY_MINUTES),
        managers: [],
        managersKnown: false,
      }),
      observedRunner(4, {
        contactedAt: undefined,
        createdAt: minutesAgo(60),
        legacyVersion: '16.11.4',
      }),
    ];

    const facts = computeLiveFacts(runners, now);

    expect(facts.runners).toEqual({
      online: 1,
      offline: 1,
      stale: 1,
      neverContacted: 1,
      paused: 1,
      total: 4,
    });
    expect(facts.versions).toEqual(['18.6.0', '18.5.1', '16.11.4']);
    expect(facts.architectures).toEqual(['amd64', 'arm64']);
    expect(facts.tags).toEqual(['docker', 'k8s-default']);
    expect(facts.runUntagged).toBe(true);
    expect(facts.runnerIds).toEqual([1, 2, 3, 4]);
    expect(facts.syncedAt).toBe('2026-12-04T12:00:00.000Z');
  });

  it('reports an empty fleet', () => {
    const facts = computeLiveFacts([], now);

    expect(facts.runners.total).toBe(0);
    expect(facts.versions).toEqual([]);
    expect(facts.runUntagged).toBe(false);
  });
});
