import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FleetName, RunnerFleetApi } from './RunnerFleetApi';
import type {
  FleetFailures,
  FleetLoad,
  FleetRunner,
  FleetSample,
  FleetSummary,
  MigrationOverview,
  MigrationProgress,
  Page,
  ProjectQuery,
  ProjectRow,
  ProjectScorecard,
  RollupDimension,
  RollupRow,
  ScorecardHistoryPoint,
} from './types';

/** Lists may come bare or wrapped as `{ items }`; both mean the same. */
function unwrapItems<T>(body: unknown, path: string): T[] {
  if (Array.isArray(body)) {
    return body as T[];
  }
  if (body && typeof body === 'object' && Array.isArray((body as any).items)) {
    return (body as any).items as T[];
  }
  throw new Error(
    `Invalid response from runner-fleet backend at ${path}: expected a list or { items: [...] }`,
  );
}

function fleetPath(fleet: FleetName): string {
  return `/fleets/${encodeURIComponent(fleet.namespace)}/${encodeURIComponent(
    fleet.name,
  )}`;
}

/** Implements {@link RunnerFleetApi} over the backend plugin `runner-fleet`. @public */
export class RunnerFleetClient implements RunnerFleetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl('runner-fleet');
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const response = await this.fetchApi.fetch(`${await this.baseUrl()}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.request(path);
    return (await response.json()) as T;
  }

  async listFleets(): Promise<FleetSummary[]> {
    return unwrapItems<FleetSummary>(await this.getJson('/fleets'), '/fleets');
  }

  async getFleetLoad(fleet: FleetName): Promise<FleetLoad> {
    return this.getJson(`${fleetPath(fleet)}/load`);
  }

  async getFleetSamples(
    fleet: FleetName,
    range: { from: Date; to: Date },
  ): Promise<FleetSample[]> {
    const query = new URLSearchParams({
      from: range.from.toISOString(),
      to: range.to.toISOString(),
    });
    const path = `${fleetPath(fleet)}/samples?${query}`;
    return unwrapItems<FleetSample>(await this.getJson(path), path);
  }

  async getFleetRunners(
    fleet: FleetName,
    page: { page: number; pageSize: number } = { page: 0, pageSize: 50 },
  ): Promise<Page<FleetRunner>> {
    const query = new URLSearchParams({
      page: String(page.page),
      pageSize: String(page.pageSize),
    });
    const path = `${fleetPath(fleet)}/runners?${query}`;
    const body = await this.getJson<unknown>(path);
    const items = unwrapItems<FleetRunner>(body, path);
    const totalCount =
      !Array.isArray(body) && typeof (body as any).totalCount === 'number'
        ? (body as any).totalCount
        : items.length;
    return { items, totalCount };
  }

  async getFleetFailures(fleet: FleetName, window: string): Promise<FleetFailures> {
    const query = new URLSearchParams({ window });
    return this.getJson(`${fleetPath(fleet)}/failures?${query}`);
  }

  async getMigrationOverview(): Promise<MigrationOverview> {
    return this.getJson('/overview/migration');
  }

  async getScorecardForEntity(
    entityRef: string,
  ): Promise<ProjectScorecard | undefined> {
    const query = new URLSearchParams({ entityRef });
    const path = `/scorecards?${query}`;
    const response = await this.fetchApi.fetch(`${await this.baseUrl()}${path}`);
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = await response.json();
    if (Array.isArray(body) || Array.isArray(body?.items)) {
      return unwrapItems<ProjectScorecard>(body, path)[0];
    }
    return body as ProjectScorecard;
  }

  async getScorecard(projectRef: string): Promise<ProjectScorecard> {
    return this.getJson(`/scorecards/${encodeURIComponent(projectRef)}`);
  }

  async getScorecardHistory(projectRef: string): Promise<ScorecardHistoryPoint[]> {
    const path = `/scorecards/${encodeURIComponent(projectRef)}/history`;
    return unwrapItems<ScorecardHistoryPoint>(await this.getJson(path), path);
  }

  async refreshScorecard(projectRef: string): Promise<ProjectScorecard | undefined> {
    const response = await this.request(
      `/scorecards/${encodeURIComponent(projectRef)}/refresh`,
      { method: 'POST' },
    );
    // A 202 or 204 means the backend queued the evaluation; the caller reloads.
    if (response.status !== 200 && response.status !== 201) {
      return undefined;
    }
    return (await response.json()) as ProjectScorecard;
  }

  async getRollups(by: RollupDimension): Promise<RollupRow[]> {
    const path = `/rollups?${new URLSearchParams({ by })}`;
    return unwrapItems<RollupRow>(await this.getJson(path), path);
  }

  async getProgress(): Promise<MigrationProgress> {
    return this.getJson('/progress');
  }

  async listProjects(query: ProjectQuery): Promise<Page<ProjectRow>> {
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
    const path = `/projects?${params}`;
    const body = await this.getJson<unknown>(path);
    const items = unwrapItems<ProjectRow>(body, path);
    const totalCount =
      !Array.isArray(body) && typeof (body as any).totalCount === 'number'
        ? (body as any).totalCount
        : items.length;
    return { items, totalCount };
  }

  async getScorecardsCsv(): Promise<Blob> {
    const response = await this.request('/scorecards.csv');
    return response.blob();
  }
}
