import { compilePattern, DEFAULT_NAMING_PATTERN } from './config';
import {
  fleetNameFromKey,
  groupRunners,
  toEntityName,
  type DeclaredFleet,
  type GroupingOptions,
} from './mapping';
import { observedRunner } from '../__testUtils__/observedRunner';

/** Declared fleets of the example instance, with their `spec.tags`. */
const exampleFleets: DeclaredFleet[] = [
  { ref: 'resource:default/fleet-docker-machine', tags: ['docker'] },
  { ref: 'resource:default/fleet-k8s-default', tags: ['k8s-default'] },
  { ref: 'resource:default/fleet-k8s-cvmfs', tags: ['cvmfs'] },
  { ref: 'resource:default/fleet-k8s-arm', tags: ['arm64', 'aarch64'] },
  { ref: 'resource:default/fleet-qa-k8s-default', tags: ['k8s-default', 'qa'] },
];

function options(overrides: Partial<GroupingOptions> = {}): GroupingOptions {
  return {
    rules: [],
    declaredFleets: exampleFleets,
    namingPattern: compilePattern(DEFAULT_NAMING_PATTERN, 'test'),
    unmatched: 'group-by-tags',
    namespace: 'default',
    ...overrides,
  };
}

function fleetsOf(result: ReturnType<typeof groupRunners>) {
  return Object.fromEntries(
    result.groups.map(group => [group.fleetRef, group.runners.map(r => r.id)]),
  );
}

describe('groupRunners', () => {
  it('groups the example instance by description and tags', () => {
    const runners = [
      observedRunner(1, {
        description: 'docker-machine-01.runners.example.org',
        tags: ['docker'],
      }),
      observedRunner(2, {
        description: 'k8s-default @ cluster-default-v3',
        tags: ['k8s-default'],
      }),
      observedRunner(3, {
        description: 'k8s-default @ cluster-default-v2',
        tags: ['k8s-default'],
      }),
      observedRunner(4, {
        description: 'qa k8s-default @ cluster-qa',
        tags: ['k8s-default', 'qa'],
      }),
      observedRunner(5, {
        description: 'k8s-arm @ cluster-arm',
        tags: ['aarch64', 'arm64'],
      }),
    ];

    const result = groupRunners(runners, options());

    expect(fleetsOf(result)).toEqual({
      'resource:default/fleet-docker-machine': [1],
      'resource:default/fleet-k8s-default': [2, 3],
      'resource:default/fleet-qa-k8s-default': [4],
      'resource:default/fleet-k8s-arm': [5],
    });
    const byRef = new Map(result.groups.map(g => [g.fleetRef, g]));
    expect(byRef.get('resource:default/fleet-k8s-default')?.clusters).toEqual([
      'cluster-default-v2',
      'cluster-default-v3',
    ]);
    expect(byRef.get('resource:default/fleet-docker-machine')?.matchedBy).toBe(
      'fleet-tags',
    );
    expect(result.groups.every(g => g.declared)).toBe(true);
  });

  it('prefers the declared fleet with the closest tags', () => {
    const runners = [
      observedRunner(1, { description: 'a', tags: ['k8s-default'] }),
      observedRunner(2, { description: 'b', tags: ['k8s-default', 'qa'] }),
      observedRunner(3, { description: 'c', tags: ['arm64'] }),
    ];

    const result = groupRunners(runners, options({ namingPattern: undefined }));

    expect(fleetsOf(result)).toEqual({
      'resource:default/fleet-k8s-default': [1],
      'resource:default/fleet-qa-k8s-default': [2],
      'resource:default/fleet-k8s-arm': [3],
    });
  });

  it('applies rules before the naming pattern', () => {
    const runners = [
      observedRunner(1, {
        description: 'k8s-default @ cluster-default-v3',
        tags: ['k8s-default'],
        managers: [{ systemId: 's_000000000001' }],
      }),
      observedRunner(2, {
        description: 'k8s-default @ cluster-default-v3',
        tags: ['k8s-default', 'canary'],
      }),
      observedRunner(3, { description: 'build-host-7', tags: [] }),
    ];

    const result = groupRunners(
      runners,
      options({
        rules: [
          {
            fleetRef: 'resource:default/fleet-canary',
            tags: ['canary'],
            source: 'config',
          },
          {
            fleetRef: 'resource:default/fleet-pinned',
            systemIds: ['s_000000000001'],
            source: 'config',
          },
          {
            fleetRef: 'resource:default/fleet-shell',
            descriptionPattern: /^build-host-\d+$/,
            executor: 'shell',
            source: 'config',
          },
        ],
      }),
    );

    expect(fleetsOf(result)).toEqual({
      'resource:default/fleet-pinned': [1],
      'resource:default/fleet-canary': [2],
      'resource:default/fleet-shell': [3],
    });
    const shell = result.groups.find(g => g.fleetRef.endsWith('fleet-shell'));
    expect(shell?.executor).toBe('shell');
    expect(shell?.declared).toBe(false);
  });

  it('derives undeclared fleets from the naming pattern', () => {
    const runners = [
      observedRunner(1, {
        description: 'k8s-gpu @ cluster-gpu',
        tags: ['gpu'],
      }),
    ];

    const result = groupRunners(runners, options());

    expect(result.groups).toHaveLength(1);
    expect(result.groups[0].fleetRef).toBe('resource:default/fleet-k8s-gpu');
    expect(result.groups[0].declared).toBe(false);
    expect(result.groups[0].clusters).toEqual(['cluster-gpu']);
  });

  it('groups unmatched instance runners by tag set', () => {
    const runners = [
      observedRunner(1, { description: 'x', tags: ['shell', 'windows'] }),
      observedRunner(2, { description: 'y', tags: ['windows', 'shell'] }),
      observedRunner(3, { description: 'z', tags: [] }),
      observedRunner(4, {
        description: 'physics deploy runner 1',
        tags: ['physics-deploy', 'shell'],
        runnerType: 'group_type',
      }),
    ];

    const byTags = groupRunners(runners, options());
    const all = groupRunners(
      runners,
      options({ unmatched: 'group-all-by-tags' }),
    );
    const none = groupRunners(runners, options({ unmatched: 'ignore' }));

    expect(fleetsOf(byTags)).toEqual({
      'resource:default/fleet-tags-shell-windows': [1, 2],
      'resource:default/fleet-untagged': [3],
    });
    expect(byTags.ignored.map(r => r.id)).toEqual([4]);
    expect(Object.keys(fleetsOf(all))).toContain(
      'resource:default/fleet-tags-physics-deploy-shell',
    );
    expect(none.groups).toEqual([]);
    expect(none.ignored).toHaveLength(4);
  });
});

describe('toEntityName', () => {
  it.each([
    ['qa k8s-default', 'qa-k8s-default'],
    ['  Spark / Cluster #2 ', 'spark-cluster-2'],
    ['---', 'unnamed'],
  ])('turns %j into %j', (text, expected) => {
    expect(toEntityName(text)).toBe(expected);
  });

  it('shortens long names with a hash', () => {
    const long = `${'a'.repeat(40)} ${'b'.repeat(40)}`;
    const other = `${'a'.repeat(40)} ${'b'.repeat(39)}c`;

    const name = toEntityName(long);

    expect(name).toHaveLength(63);
    expect(name).toMatch(/^a+-b+-[0-9a-f]{8}$/);
    expect(toEntityName(other)).not.toBe(name);
  });

  it('does not repeat the fleet prefix', () => {
    expect(fleetNameFromKey('k8s-cvmfs')).toBe('fleet-k8s-cvmfs');
    expect(fleetNameFromKey('fleet-k8s-cvmfs')).toBe('fleet-k8s-cvmfs');
  });
});
