import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FleetFailures,
  FleetLoad,
  FleetRunner,
  FleetSampleRow,
  MigrationOverview,
  MigrationProgress,
  Page,
  ProjectScorecard,
  ProjectsPage,
  ScorecardHistory,
  ScorecardHistoryPoint,
  ScorecardRefreshResult,
  ScorecardRollup,
  ScorecardRollups,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { FleetName, RunnerFleetApi } from './RunnerFleetApi';
import type { ProjectQuery, RollupDimension } from './types';

/** Largest page the backend serves for `/fleets`. */
const FLEETS_PAGE_SIZE = 500;
/** Largest page the backend serves for samples. */
const SAMPLES_PAGE_SIZE = 10_000;
/**
 * Most sample pages fetched for one chart: 100,000 samples, which covers
 * 7 days at one sample every 15 s with room to spare.
 */
const MAX_SAMPLE_PAGES = 10;

function fleetPath(fleet: FleetName): string {
  return `/fleets/${encodeURIComponent(fleet.namespace)}/${encodeURIComponent(fleet.name)}`;
}

function expectPage<T>(body: unknown, path: string): Page<T> {
  const page = body as Page<T>;
  if (!page || !Array.isArray(page.items) || typeof page.totalCount !== 'number') {
    throw new Error(
      `Invalid response from the runner-fleet backend at ${path}: expected { items: [...], totalCount }`,
    );
  }
  return page;
}

/** Implements {@link RunnerFleetApi} over the backend plugin `runner-fleet`. @public */
export class RunnerFleetClient implements RunnerFleetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('runner-fleet');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.request(path);
    return (await response.json()) as T;
  }

  async listFleetLoads(): Promise<FleetLoad[]> {
    const loads: FleetLoad[] = [];
    for (let page = 1; ; page++) {
      const path = `/fleets?page=${page}&pageSize=${FLEETS_PAGE_SIZE}`;
      const body = expectPage<FleetLoad>(await this.getJson(path), path);
      loads.push(...body.items);
      if (body.items.length === 0 || loads.length >= body.totalCount) {
        return loads;
      }
    }
  }

  async getFleetLoad(fleet: FleetName): Promise<FleetLoad> {
    return this.getJson(`${fleetPath(fleet)}/load`);
  }

  async getFleetSamples(
    fleet: FleetName,
    range: { from: Date; to: Date },
  ): Promise<FleetSampleRow[]> {
    const samples: FleetSampleRow[] = [];
    for (let page = 1; page <= MAX_SAMPLE_PAGES; page++) {
      const query = new URLSearchParams({
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        page: String(page),
        pageSize: String(SAMPLES_PAGE_SIZE),
      });
      const path = `${fleetPath(fleet)}/samples?${query}`;
      const body = expectPage<FleetSampleRow>(await this.getJson(path), path);
      samples.push(...body.items);
      if (body.items.length === 0 || samples.length >= body.totalCount) {
        break;
      }
    }
    // NOTE: beyond MAX_SAMPLE_PAGES the newest samples are missing, if the
    // backend returns oldest first; the longest range stays far below it.
    return samples;
  }

  async getFleetRunners(
    fleet: FleetName,
    page: { page: number; pageSize: number } = { page: 1, pageSize: 100 },
  ): Promise<Page<FleetRunner>> {
    const query = new URLSearchParams({
      page: String(page.page),
      pageSize: String(page.pageSize),
    });
    const path = `${fleetPath(fleet)}/runners?${query}`;
    return expectPage<FleetRunner>(await this.getJson(path), path);
  }

  async getFleetFailures(fleet: FleetName, window: string): Promise<FleetFailures> {
    const query = new URLSearchParams({ window });
    return this.getJson(`${fleetPath(fleet)}/failures?${query}`);
  }

  async getMigrationOverview(): Promise<MigrationOverview> {
    return this.getJson('/overview/migration');
  }

  async getScorecardForEntity(entityRef: string): Promise<ProjectScorecard | undefined> {
    const path = `/scorecards?${new URLSearchParams({ entityRef })}`;
    const body = await this.getJson<{ items?: ProjectScorecard[] }>(path);
    if (!Array.isArray(body?.items)) {
      throw new Error(
        `Invalid response from the runner-fleet backend at ${path}: expected { items: [...] }`,
      );
    }
    return body.items[0];
  }

  async getScorecard(projectRef: string): Promise<ProjectScorecard> {
    return this.getJson(`/scorecards/${encodeURIComponent(projectRef)}`);
  }

  async getScorecardHistory(projectRef: string): Promise<ScorecardHistoryPoint[]> {
    const body = await this.getJson<ScorecardHistory>(
      `/scorecards/${encodeURIComponent(projectRef)}/history`,
    );
    return body.items;
  }

  async refreshScorecard(projectRef: string): Promise<ScorecardRefreshResult> {
    const response = await this.request(
      `/scorecards/${encodeURIComponent(projectRef)}/refresh`,
      { method: 'POST' },
    );
    return (await response.json()) as ScorecardRefreshResult;
  }

  async getRollups(by: RollupDimension): Promise<ScorecardRollup[]> {
    const body = await this.getJson<ScorecardRollups>(`/rollups?${new URLSearchParams({ by })}`);
    return body.items;
  }

  async getProgress(): Promise<MigrationProgress> {
    return this.getJson('/progress');
  }

  async listProjects(query: ProjectQuery): Promise<ProjectsPage> {
    const params = new URLSearchParams({
      page: String(query.page),
      pageSize: String(query.pageSize),
    });
    if (query.sort) {
      params.set('sort', query.sort);
    }
    if (query.filter) {
      params.set('filter', query.filter);
    }
    if (query.q) {
      params.set('q', query.q);
    }
    const path = `/projects?${params}`;
    return expectPage(await this.getJson(path), path) as ProjectsPage;
  }

  async getScorecardsCsv(): Promise<Blob> {
    const response = await this.request('/scorecards.csv');
    return response.blob();
  }
}
