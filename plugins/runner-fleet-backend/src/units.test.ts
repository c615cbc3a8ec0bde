import { ConfigReader } from '@backstage/config';
import { readRunnerFleetOptions } from './config';
import { assignRunnersByTags, Fleet, FleetResolver } from './fleet/fleets';
import { compareVersions } from './fleet/FleetService';
import { percentile, queuePercentiles } from './fleet/sampling';
import { csvField } from './router/csv';
import { buildEvidence, derivePhase } from './scorecards/phase';

function fleet(name: string, tags: string[], extra: Partial<Fleet> = {}): Fleet {
  return {
    ref: `resource:default/${name}`,
    namespace: 'default',
    name,
    tags,
    runUntagged: false,
    runnerIds: [],
    runnerIdsFromDiscovery: false,
    ...extra,
  };
}

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.9)).toBe(90);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('sorts unsorted queue waits', () => {
    expect(queuePercentiles([30, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ p50: 5, p90: 9, p99: 30 });
  });
});

describe('compareVersions', () => {
  it('orders dotted versions numerically', () => {
    expect(compareVersions('18.10.0', '18.9.3')).toBeGreaterThan(0);
    expect(compareVersions('v17.4.1', '17.4.1')).toBe(0);
    expect(compareVersions('17.4.1~beta.1', '17.4.2')).toBeLessThan(0);
  });
});

describe('csvField', () => {
  it('quotes separators and neutralises formulas', () => {
    expect(csvField('physics/atlas')).toBe('physics/atlas');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(undefined)).toBe('');
  });
});

describe('fleet mapping', () => {
  const fleets = [
    fleet('fleet-docker-machine', ['docker'], { executor: 'docker+machine' }),
    fleet('fleet-k8s-default', ['k8s-default'], { runUntagged: true, executor: 'kubernetes' }),
    fleet('fleet-qa-k8s-default', ['k8s-default', 'qa'], { executor: 'kubernetes' }),
  ];

  it('assigns runners to the fleet with the most specific tags', () => {
    const assigned = assignRunnersByTags(
      fleets,
      new Map([
        ['resource:default/fleet-docker-machine', [1]],
        ['resource:default/fleet-k8s-default', [2, 3]],
        ['resource:default/fleet-qa-k8s-default', [3]],
      ]),
    );
    expect(assigned.map(f => f.runnerIds)).toEqual([[1], [2], [3]]);
  });

  it('keeps runner ids from discovery', () => {
    const withIds = [{ ...fleets[0], runnerIds: [99], runnerIdsFromDiscovery: true }, fleets[1]];
    const assigned = assignRunnersByTags(withIds, new Map([['resource:default/fleet-docker-machine', [1]]]));
    expect(assigned[0].runnerIds).toEqual([99]);
  });

  it('maps jobs by runner, then by tags, then untagged', () => {
    const resolver = new FleetResolver([{ ...fleets[0], runnerIds: [5] }, fleets[1], fleets[2]]);
    expect(resolver.fleetOfJob({ runner: { id: 5 }, tag_list: ['k8s-default'] })?.name).toBe('fleet-docker-machine');
    expect(resolver.fleetOfJob({ tag_list: ['k8s-default'] })?.name).toBe('fleet-k8s-default');
    expect(resolver.fleetOfJob({ tag_list: ['qa'] })?.name).toBe('fleet-qa-k8s-default');
    expect(resolver.fleetOfJob({ tag_list: [] })?.name).toBe('fleet-k8s-default');
    expect(resolver.fleetOfJob({ tag_list: ['fpga'] })).toBeUndefined();
  });
});

describe('buildEvidence', () => {
  const resolver = new FleetResolver([
    fleet('fleet-docker-machine', ['docker'], { runnerIds: [1], runnerIdsFromDiscovery: true }),
    fleet('fleet-k8s-default', ['k8s-default'], { runnerIds: [2], runnerIdsFromDiscovery: true, executor: 'kubernetes' }),
  ]);
  const job = (id: number, name: string, runner: number, status: string) => ({ id, name, status, runner: { id: runner } });

  it('compares failure rates of the jobs that moved', () => {
    const evidence = buildEvidence(
      [
        job(1, 'test', 1, 'failed'),
        job(2, 'test', 1, 'success'),
        job(3, 'test', 2, 'success'),
        job(4, 'test', 2, 'success'),
        // Only on Kubernetes, so it does not enter the comparison.
        job(5, 'lint', 2, 'failed'),
      ],
      { resolver, legacyFleetRef: 'resource:default/fleet-docker-machine', windowDays: 30 },
    );
    expect(evidence.jobs).toBe(5);
    expect(evidence.jobsByFleet).toEqual({
      'resource:default/fleet-docker-machine': 2,
      'resource:default/fleet-k8s-default': 3,
    });
    expect(evidence.failureRateBefore).toBe(0.5);
    expect(evidence.failureRateAfter).toBe(0);
  });
});

describe('derivePhase', () => {
  const legacy = 'resource:default/fleet-docker-machine';
  const noTags = { jobs: 3, legacyTagJobs: 0, optInTagJobs: 0 };
  const evidence = (byFleet: Record<string, number>) => ({
    jobs: Object.values(byFleet).reduce((a, b) => a + b, 0),
    windowDays: 30,
    jobsByFleet: byFleet,
  });
  const blocker = { ruleId: 'r', severity: 'blocker' as const, title: '', message: '', fix: '' };

  it.each([
    ['a legacy tag', { ...noTags, legacyTagJobs: 1, optInTagJobs: 1 }, undefined, [], 'legacy'],
    ['the opt-in tag', { ...noTags, optInTagJobs: 2 }, undefined, [], 'opted-in'],
    ['jobs only on the legacy fleet', noTags, evidence({ [legacy]: 4 }), [], 'legacy'],
    ['some jobs still on the legacy fleet', noTags, evidence({ [legacy]: 1, k8s: 3 }), [], 'on-kubernetes'],
    ['an unwaived blocker', noTags, evidence({ k8s: 3 }), [blocker], 'on-kubernetes'],
    ['a waived blocker', noTags, evidence({ k8s: 3 }), [{ ...blocker, waiver: { reason: 'x', expires: '2099-01-01' } }], 'migrated'],
    ['no jobs and no tags', noTags, evidence({}), [], 'migrated'],
  ] as const)('derives the phase from %s', (_name, usage, jobEvidence, findings, phase) => {
    expect(derivePhase(usage, jobEvidence, [...findings], legacy)).toBe(phase);
  });
});

describe('readRunnerFleetOptions', () => {
  it('fills in defaults', () => {
    const options = readRunnerFleetOptions(new ConfigReader({}));
    expect(options.sampling.frequency).toEqual({ minutes: 1 });
    expect(options.sampling.retentionMs).toBe(14 * 86_400_000);
    expect(options.migration.decommissionDate).toBe('2027-03-31');
    expect(options.prometheus).toBeUndefined();
  });

  it('reads durations as strings and cron schedules', () => {
    const options = readRunnerFleetOptions(
      new ConfigReader({ runnerFleet: { sampling: { frequency: { cron: '*/2 * * * *' }, retention: '3d' } } }),
    );
    expect(options.sampling.frequency).toEqual({ cron: '*/2 * * * *' });
    expect(options.sampling.retentionMs).toBe(3 * 86_400_000);
  });

  it.each([
    [{ migration: { decommissionDate: '31.03.2027' } }, /decommissionDate: "31.03.2027"; use an ISO date/],
    [{ prometheus: { baseUrl: 'prometheus:9090' } }, /baseUrl: "prometheus:9090"; use an absolute URL/],
    [{ scorecards: { batchSize: 0 } }, /batchSize: 0; set it to a whole number of 1 or more/],
  ])('rejects invalid config %p', (runnerFleet, message) => {
    expect(() => readRunnerFleetOptions(new ConfigReader({ runnerFleet }))).toThrow(message);
  });
});
