import { isOldVersion, isStale, newestVersion, parseVersion } from './runnerHealth';

const now = Date.parse('2026-12-04T12:00:00Z');

describe('runner versions', () => {
  it('parses versions with prefix and suffix', () => {
    expect(parseVersion('v17.11.1~beta.3')).toEqual([17, 11, 1]);
    expect(parseVersion('17.9')).toEqual([17, 9, 0]);
    expect(parseVersion('dev')).toBeUndefined();
  });

  it('finds the newest version numerically', () => {
    expect(newestVersion(['17.9.0', '17.11.1', undefined, 'dev', '17.10.3'])).toBe('17.11.1');
  });

  it('flags an older minor version', () => {
    expect(isOldVersion('17.9.0', '17.11.1')).toBe(true);
    expect(isOldVersion('16.11.5', '17.0.0')).toBe(true);
  });

  it('ignores patch differences and unknown versions', () => {
    expect(isOldVersion('17.11.0', '17.11.1')).toBe(false);
    expect(isOldVersion(undefined, '17.11.1')).toBe(false);
    expect(isOldVersion('17.1.0', undefined)).toBe(false);
  });
});

describe('isStale', () => {
  it('trusts the stale status and flag', () => {
    expect(isStale({ stale: false, status: 'stale' }, now)).toBe(true);
    expect(isStale({ stale: true, status: 'online' }, now)).toBe(true);
  });

  it('flags contact older than 7 days', () => {
    const runner = { stale: false, status: 'offline' };
    expect(isStale({ ...runner, contactedAt: '2026-11-26T11:00:00Z' }, now)).toBe(true);
    expect(isStale({ ...runner, contactedAt: '2026-11-28T12:00:00Z' }, now)).toBe(false);
  });
});
