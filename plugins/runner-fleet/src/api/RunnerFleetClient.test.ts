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
  it('lists fleets from a bare array', async () => {
    server.use(http.get(`${baseUrl}/fleets`, () => HttpResponse.json([{ name: 'fleet-k8s-arm' }])));
    const fleets = await createClient().listFleets();
    expect(fleets.map(f => f.name)).toEqual(['fleet-k8s-arm']);
  });

  it('lists fleets wrapped in items', async () => {
    server.use(
      http.get(`${baseUrl}/fleets`, () => HttpResponse.json({ items: [{ name: 'fleet-k8s-arm' }] })),
    );
    const fleets = await createClient().listFleets();
    expect(fleets.map(f => f.name)).toEqual(['fleet-k8s-arm']);
  });

  it('rejects a list response of the wrong shape', async () => {
    server.use(http.get(`${baseUrl}/fleets`, () => HttpResponse.json({ fleets: [] })));
    await expect(createClient().listFleets()).rejects.toThrow(
      'expected a list or { items: [...] }',
    );
  });

  it('sends the sample range as ISO timestamps', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/fleets/default/fleet-k8s-default/samples`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [] });
      }),
    );
    await createClient().getFleetSamples(
      { namespace: 'default', name: 'fleet-k8s-default' },
      { from: new Date('2026-12-04T11:00:00Z'), to: new Date('2026-12-04T12:00:00Z') },
    );
    expect(url?.searchParams.get('from')).toBe('2026-12-04T11:00:00.000Z');
    expect(url?.searchParams.get('to')).toBe('2026-12-04T12:00:00.000Z');
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
        return HttpResponse.json({ items: [{ id: 1 }], totalCount: 2000 });
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
    server.use(http.get(`${baseUrl}/scorecards`, () => new HttpResponse(null, { status: 404 })));
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
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await expect(createClient().refreshScorecard('physics/atlas-analysis')).resolves.toBeUndefined();
    expect(path).toBe('/api/runner-fleet/scorecards/physics%2Fatlas-analysis/refresh');
  });

  it('passes project table query to the server', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/projects`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 20000 });
      }),
    );
    const page = await createClient().listProjects({
      page: 2,
      pageSize: 25,
      sort: '-score',
      filter: 'physics',
    });
    expect(page.totalCount).toBe(20000);
    expect(url?.searchParams.get('sort')).toBe('-score');
    expect(url?.searchParams.get('filter')).toBe('physics');
    expect(url?.searchParams.get('page')).toBe('2');
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
