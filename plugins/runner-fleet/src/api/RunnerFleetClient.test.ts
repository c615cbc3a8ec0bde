/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { RunnerFleetClient } from './RunnerFleetClient';

const baseUrl = 'http://localhost:7007/api/runner-fleet';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function createClient() {
  return new RunnerFleetClient({
    discoveryApi: { getBaseUrl: async pluginId => `http://localhost:7007/api/${pluginId}` },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

describe('RunnerFleetClient', () => {
  it('reads every page of fleet loads', async () => {
    const pages: string[] = [];
    server.use(
      http.get(`${baseUrl}/fleets`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page')!;
        pages.push(page);
        const items = page === '1' ? [{ fleetRef: 'a' }, { fleetRef: 'b' }] : [{ fleetRef: 'c' }];
        return HttpResponse.json({ items, totalCount: 3, page: Number(page), pageSize: 2 });
      }),
    );
    const loads = await createClient().listFleetLoads();
    expect(loads.map(l => l.fleetRef)).toEqual(['a', 'b', 'c']);
    expect(pages).toEqual(['1', '2']);
  });

  it('rejects a list response of the wrong shape', async () => {
    server.use(http.get(`${baseUrl}/fleets`, () => HttpResponse.json([{ fleetRef: 'a' }])));
    await expect(createClient().listFleetLoads()).rejects.toThrow(
      'expected { items: [...], totalCount }',
    );
  });

  it('sends the sample range as ISO timestamps', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/fleets/default/fleet-k8s-default/samples`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 0, page: 1, pageSize: 10000 });
      }),
    );
    await createClient().getFleetSamples(
      { namespace: 'default', name: 'fleet-k8s-default' },
      { from: new Date('2026-12-04T11:00:00Z'), to: new Date('2026-12-04T12:00:00Z') },
    );
    expect(url?.searchParams.get('from')).toBe('2026-12-04T11:00:00.000Z');
    expect(url?.searchParams.get('to')).toBe('2026-12-04T12:00:00.000Z');
    expect(url?.searchParams.get('pageSize')).toBe('10000');
  });

  it('stops reading samples after ten pages', async () => {
    let requests = 0;
    server.use(
      http.get(`${baseUrl}/fleets/default/fleet-k8s-default/samples`, () => {
        requests++;
        return HttpResponse.json({ items: [{}], totalCount: 1_000_000, page: requests, pageSize: 1 });
      }),
    );
    const samples = await createClient().getFleetSamples(
      { namespace: 'default', name: 'fleet-k8s-default' },
      { from: new Date(0), to: new Date(1) },
    );
    expect(requests).toBe(10);
    expect(samples).toHaveLength(10);
  });

  it('escapes fleet names in paths', async () => {
    let path: string | undefined;
    server.use(
      http.get(`${baseUrl}/fleets/:namespace/:name/load`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ runningJobs: 1 });
      }),
    );
    await createClient().getFleetLoad({ namespace: 'team a', name: 'fleet/x' });
    expect(path).toBe('/api/runner-fleet/fleets/team%20a/fleet%2Fx/load');
  });

  it('reads the runner page total', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/fleets/default/fleet-k8s-default/runners`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [{ id: 1 }], totalCount: 2000, page: 3, pageSize: 50 });
      }),
    );
    const page = await createClient().getFleetRunners(
      { namespace: 'default', name: 'fleet-k8s-default' },
      { page: 3, pageSize: 50 },
    );
    expect(page.totalCount).toBe(2000);
    expect(url?.searchParams.get('page')).toBe('3');
    expect(url?.searchParams.get('pageSize')).toBe('50');
  });

  it('turns HTTP errors into ResponseError', async () => {
    server.use(
      http.get(`${baseUrl}/overview/migration`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no data' }, response: { statusCode: 404 } },
          { status: 404 },
        ),
      ),
    );
    const error = await createClient().getMigrationOverview().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
  });

  it('returns undefined for an entity without scorecard', async () => {
    server.use(http.get(`${baseUrl}/scorecards`, () => HttpResponse.json({ items: [] })));
    await expect(
      createClient().getScorecardForEntity('component:default/none'),
    ).resolves.toBeUndefined();
  });

  it('takes the first scorecard of a list for an entity', async () => {
    let entityRef: string | null = null;
    server.use(
      http.get(`${baseUrl}/scorecards`, ({ request }) => {
        entityRef = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json({ items: [{ projectPath: 'physics/atlas-analysis' }] });
      }),
    );
    const scorecard = await createClient().getScorecardForEntity('component:default/atlas-analysis');
    expect(scorecard?.projectPath).toBe('physics/atlas-analysis');
    expect(entityRef).toBe('component:default/atlas-analysis');
  });

  it('posts refresh with the project path escaped', async () => {
    let path: string | undefined;
    server.use(
      http.post(`${baseUrl}/scorecards/:projectRef/refresh`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ scorecard: { score: 80 }, reanalyzed: true });
      }),
    );
    const result = await createClient().refreshScorecard('physics/atlas-analysis');
    expect(result.reanalyzed).toBe(true);
    expect(path).toBe('/api/runner-fleet/scorecards/physics%2Fatlas-analysis/refresh');
  });

  it('passes project table query to the server', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/projects`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 20000, page: 2, pageSize: 25 });
      }),
    );
    const page = await createClient().listProjects({
      page: 2,
      pageSize: 25,
      sort: '-score',
      filter: 'phase:legacy',
      q: 'atlas',
    });
    expect(page.totalCount).toBe(20000);
    expect(url?.searchParams.get('sort')).toBe('-score');
    expect(url?.searchParams.get('filter')).toBe('phase:legacy');
    expect(url?.searchParams.get('q')).toBe('atlas');
    expect(url?.searchParams.get('page')).toBe('2');
  });

  it('unwraps rollups and history', async () => {
    server.use(
      http.get(`${baseUrl}/rollups`, () => HttpResponse.json({ by: 'rule', items: [{ key: 'r1' }] })),
      http.get(`${baseUrl}/scorecards/:projectRef/history`, () =>
        HttpResponse.json({ projectPath: 'a/b', items: [{ score: 1 }] }),
      ),
    );
    expect((await createClient().getRollups('rule')).map(r => r.key)).toEqual(['r1']);
    expect(await createClient().getScorecardHistory('a/b')).toHaveLength(1);
  });

  it('downloads the CSV export', async () => {
    server.use(
      http.get(`${baseUrl}/scorecards.csv`, () =>
        new HttpResponse('projectPath,score\nphysics/atlas-analysis,55\n', {
          headers: { 'Content-Type': 'text/csv' },
        }),
      ),
    );
    const blob = await createClient().getScorecardsCsv();
    expect(await blob.text()).toContain('physics/atlas-analysis,55');
  });
});
