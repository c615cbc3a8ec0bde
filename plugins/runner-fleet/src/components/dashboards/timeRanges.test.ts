import { scaleUpSamples } from '../../testing/fixtures';
import { fastestRise, TIME_RANGES, toLoadPoints } from './timeRanges';

const start = Date.parse('2026-12-04T11:50:00Z');

describe('toLoadPoints', () => {
  it('keeps every sample without buckets', () => {
    const points = toLoadPoints(scaleUpSamples(start), 0);
    expect(points.map(p => p.runningJobs)).toEqual([0, 0, 0, 25, 60, 100, 100, 100]);
  });

  it('sorts samples by time', () => {
    const points = toLoadPoints([...scaleUpSamples(start)].reverse(), 0);
    expect(points[0].time).toBe(start);
  });

  it('keeps the maximum of each bucket', () => {
    const points = toLoadPoints(scaleUpSamples(start), 5 * 60_000);
    expect(points).toHaveLength(1);
    expect(points[0].runningJobs).toBe(100);
    expect(points[0].p99).toBe(37);
    expect(points[0].time).toBe(start);
  });

  it('drops samples with invalid timestamps', () => {
    const samples = scaleUpSamples(start);
    samples[0] = { ...samples[0], sampledAt: 'yesterday' };
    expect(toLoadPoints(samples, 0)).toHaveLength(7);
  });
});

describe('fastestRise', () => {
  it('finds the scale-up within a minute', () => {
    const rise = fastestRise(toLoadPoints(scaleUpSamples(start), 0), 60_000);
    expect(rise?.added).toBe(100);
    expect(rise?.at).toBe(start + 5 * 15_000);
  });

  it('returns undefined when jobs never rise', () => {
    const flat = toLoadPoints(scaleUpSamples(start), 0).map(p => ({ ...p, runningJobs: 7 }));
    expect(fastestRise(flat, 60_000)).toBeUndefined();
  });

  it('ignores rises slower than the window', () => {
    const points = [0, 1, 2, 3].map(i => ({
      time: start + i * 60_000,
      runningJobs: i * 10,
      pendingJobs: 0,
      p50: 0,
      p90: 0,
      p99: 0,
    }));
    expect(fastestRise(points, 60_000)?.added).toBe(10);
  });
});

describe('TIME_RANGES', () => {
  it('plots every sample up to one hour', () => {
    const short = TIME_RANGES.filter(r => r.durationMs <= 3_600_000);
    expect(short.map(r => r.id)).toEqual(['15m', '1h']);
    expect(short.every(r => r.bucketMs === 0)).toBe(true);
  });

  it('keeps long ranges under 500 points', () => {
    for (const range of TIME_RANGES.filter(r => r.bucketMs > 0)) {
      expect(range.durationMs / range.bucketMs).toBeLessThanOrEqual(500);
    }
  });
});
