import { nextPageQuery, parseNextLink } from './pagination';
import { computeBackoffDelay, parseRetryAfter } from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');

  it.each([
    ['0', 0],
    ['12', 12_000],
    [' 3 ', 3000],
    ['Fri, 04 Dec 2026 12:01:00 GMT', 60_000],
    ['Fri, 04 Dec 2026 11:00:00 GMT', 0],
  ])('parses %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['-5'], ['1.5'], ['soon']])(
    'ignores %j',
    value => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe('computeBackoffDelay', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    const low = [0, 1, 2, 3, 4].map(retry =>
      computeBackoffDelay(retry, 500, 3000, () => 0),
    );
    const high = [0, 1, 2, 3, 4].map(retry =>
      computeBackoffDelay(retry, 500, 3000, () => 0.999999),
    );

    expect(low).toEqual([250, 500, 1000, 1500, 1500]);
    expect(high).toEqual([500, 1000, 2000, 3000, 3000]);
  });
});

describe('nextPageQuery', () => {
  const current = new URLSearchParams('page=4&per_page=100&type=instance_type');

  it('prefers X-Next-Page and keeps the other parameters', () => {
    const next = nextPageQuery(
      { 'x-next-page': '5', link: '<https://h/api/v4/x?page=9>; rel="next"' },
      current,
    );

    expect(next?.toString()).toBe('page=5&per_page=100&type=instance_type');
  });

  it('uses the Link query when X-Next-Page is empty', () => {
    const next = nextPageQuery(
      {
        'x-next-page': '',
        link: '<https://other.example/api/v4/projects?id_after=40&per_page=100>; rel="next"',
      },
      current,
    );

    expect(next?.toString()).toBe('id_after=40&per_page=100');
  });

  it('stops on the last page', () => {
    expect(
      nextPageQuery(
        {
          'x-next-page': '',
          link: '<https://h/api/v4/x?page=1>; rel="first", <https://h/api/v4/x?page=3>; rel="prev"',
        },
        current,
      ),
    ).toBeUndefined();
    expect(nextPageQuery({}, current)).toBeUndefined();
  });

  it('finds rel="next" among several links', () => {
    expect(
      parseNextLink(
        '<https://h/a?page=1>; rel="first", <https://h/a?page=2>; rel="next"',
      ),
    ).toBe('https://h/a?page=2');
  });
});
