import plugin from './alpha';

describe('runner-fleet frontend plugin', () => {
  it('has the backend plugin id', () => {
    expect(plugin.id).toBe('runner-fleet');
  });

  it.each([
    'api:runner-fleet',
    'page:runner-fleet',
    'entity-content:runner-fleet/fleet-load',
    'entity-content:runner-fleet/cluster-runners',
    'entity-content:runner-fleet/hardware-pool',
    'entity-content:runner-fleet/kubernetes-migration',
    'entity-card:runner-fleet/migration-scorecard',
  ])('registers %s', id => {
    expect(plugin.getExtension(id as any)).toBeDefined();
  });
});

describe('getExtension', () => {
  it('rejects an unknown extension id', () => {
    expect(() => plugin.getExtension('page:runner-fleet/unknown' as any)).toThrow();
  });
});
