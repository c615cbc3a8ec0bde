import { startGitLabSimulator, RunningGitLabSimulator } from '../server';
import { api, apiJson, parseLinks, TEST_NOW } from './helpers';

const quiet = {
  projects: 5,
  jobsPerDay: 50,
  clock: () => TEST_NOW,
  now: TEST_NOW,
  logLevel: 'silent' as const,
};

describe('rate limiting and faults', () => {
  const started: RunningGitLabSimulator[] = [];
  const start = async (options: Parameters<typeof startGitLabSimulator>[0]) => {
    const simulator = await startGitLabSimulator({ ...quiet, ...options });
    started.push(simulator);
    return simulator;
  };

  afterAll(async () => {
    await Promise.all(started.map(simulator => simulator.close()));
  });

  it('answers 429 with Retry-After past the rate limit', async () => {
    const simulator = await start({ rateLimit: 3 });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      const response = await api(simulator, '/version');
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(limited!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(limited!.headers.get('ratelimit-limit')).toBe('3');
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited!.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
    expect(await limited!.text()).toBe('Retry later\n');
  });

  it('limits each token separately', async () => {
    const simulator = await start({ rateLimit: 1 });
    expect((await api(simulator, '/version')).status).toBe(200);
    expect(
      (await api(simulator, '/version', { token: 'glpat-simulator-alice' }))
        .status,
    ).toBe(200);
    expect((await api(simulator, '/version')).status).toBe(429);
  });

  it('injects 500s at the configured rate', async () => {
    const simulator = await start({ fault500: 1 });
    const response = await apiJson(simulator, '/runners/all');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ message: '500 Internal Server Error' });
    const stats = await (
      await fetch(`${simulator.url}/-/simulator/stats`)
    ).json();
    expect(stats.injected_500).toBe(1);
  });

  it('injects the same faults for the same seed', async () => {
    const sequence = async (seed: number) => {
      const simulator = await start({ seed, fault500: 0.3, fault429: 0.2 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) {
        statuses.push((await api(simulator, '/version')).status);
      }
      return statuses;
    };
    const first = await sequence(7);
    const second = await sequence(7);
    const other = await sequence(8);
    expect(second).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(429);
    expect(first).toContain(200);
    expect(other).not.toEqual(first);
  });

  it('fails configured paths for good', async () => {
    const simulator = await start({
      failPaths: [
        '/api/v4/runners/*',
        { pattern: '/api/v4/projects/1/**', status: 503 },
      ],
    });
    for (let i = 0; i < 3; i += 1) {
      expect((await api(simulator, '/runners/5')).status).toBe(500);
    }
    expect((await api(simulator, '/projects/1/repository/tree')).status).toBe(
      503,
    );
    expect((await api(simulator, '/runners/all/extra')).status).toBe(404);
    expect((await api(simulator, '/projects/2')).status).toBe(200);
  });

  it('caps the routes counted for unknown paths', async () => {
    const simulator = await start({});
    for (let i = 0; i < 520; i += 1) {
      await api(simulator, `/unknown-${i}`);
    }
    const stats = await (
      await fetch(`${simulator.url}/-/simulator/stats`)
    ).json();
    expect(Object.keys(stats.routes)).toHaveLength(501);
    expect(stats.routes['(other)']).toBe(20);
    expect(stats.total).toBe(520);
  });

  it('rejects invalid options with the value and the fix', async () => {
    await expect(startGitLabSimulator({ projects: 0 })).rejects.toThrow(
      'Option projects is 0; use an integer from 1 to 50000.',
    );
    await expect(
      startGitLabSimulator({ fault500: 0.8, fault429: 0.5 }),
    ).rejects.toThrow(/add up to more than 1/);
    await expect(
      startGitLabSimulator({ failPaths: ['runners'] }),
    ).rejects.toThrow(/give an absolute path/);
    await expect(startGitLabSimulator({ now: 'yesterday' })).rejects.toThrow(
      /Option now is "yesterday"/,
    );
    await expect(startGitLabSimulator({ runners: 10 })).rejects.toThrow(
      /Option runners is 10; use an integer from 37/,
    );
  });
});

describe('pagination past 10,000 rows', () => {
  let simulator: RunningGitLabSimulator;

  beforeAll(async () => {
    simulator = await startGitLabSimulator({
      ...quiet,
      projects: 10050,
      jobsPerDay: 0,
    });
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('leaves out x-total, x-total-pages and rel=last', async () => {
    const response = await apiJson(
      simulator,
      '/projects?per_page=100&page=3&simple=true',
    );
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(100);
    expect(response.headers.get('x-total')).toBeNull();
    expect(response.headers.get('x-total-pages')).toBeNull();
    expect(response.headers.get('x-next-page')).toBe('4');
    expect(response.headers.get('x-prev-page')).toBe('2');
    const links = parseLinks(response.headers.get('link'));
    expect(links.last).toBeUndefined();
    expect(links.next).toBeDefined();
    expect(links.first).toBeDefined();
  });

  it('keeps the totals at 10,000 rows or fewer', async () => {
    const response = await apiJson(
      simulator,
      '/projects?per_page=100&search=physics&search_namespaces=true&simple=true',
    );
    const total = Number(response.headers.get('x-total'));
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThanOrEqual(10000);
    expect(parseLinks(response.headers.get('link')).last).toBeDefined();
  });

  it('returns the last page past 10,000 rows', async () => {
    const response = await apiJson(
      simulator,
      '/projects?per_page=100&page=101&simple=true&order_by=id&sort=asc',
    );
    expect(response.body.map((project: any) => project.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => 10001 + i),
    );
    expect(response.headers.get('x-next-page')).toBe('');
  });
});
