import { createApiRef } from '@backstage/core-plugin-api';
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
  ScorecardHistoryPoint,
  ScorecardRefreshResult,
  ScorecardRollup,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { ProjectQuery, RollupDimension } from './types';

/** Identifies a fleet entity by namespace and name. @public */
export interface FleetName {
  namespace: string;
  name: string;
}

/** Client of the Runner Fleet backend's REST API. Pages are 1-based, as the backend counts them. @public */
export interface RunnerFleetApi {
  /** Latest load sample of every sampled fleet, all pages. */
  listFleetLoads(): Promise<FleetLoad[]>;
  getFleetLoad(fleet: FleetName): Promise<FleetLoad>;
  /** Samples between `from` and `to`, oldest first, all pages up to a limit. */
  getFleetSamples(fleet: FleetName, range: { from: Date; to: Date }): Promise<FleetSampleRow[]>;
  getFleetRunners(
    fleet: FleetName,
    page?: { page: number; pageSize: number },
  ): Promise<Page<FleetRunner>>;
  /** Failures over a window such as `15m`, `1h` or `24h`. */
  getFleetFailures(fleet: FleetName, window: string): Promise<FleetFailures>;
  getMigrationOverview(): Promise<MigrationOverview>;
  /** Scorecard of the project behind a catalog entity, or undefined when none exists yet. */
  getScorecardForEntity(entityRef: string): Promise<ProjectScorecard | undefined>;
  /** `projectRef` is a GitLab project path or numeric id. */
  getScorecard(projectRef: string): Promise<ProjectScorecard>;
  getScorecardHistory(projectRef: string): Promise<ScorecardHistoryPoint[]>;
  /** Evaluates the project again and returns the new scorecard. */
  refreshScorecard(projectRef: string): Promise<ScorecardRefreshResult>;
  getRollups(by: RollupDimension): Promise<ScorecardRollup[]>;
  getProgress(): Promise<MigrationProgress>;
  listProjects(query: ProjectQuery): Promise<ProjectsPage>;
  /**
   * Downloads the CSV export of all scorecards. It goes through the fetch API
   * because a plain link would carry no Backstage token.
   */
  getScorecardsCsv(): Promise<Blob>;
}

/** API reference of {@link RunnerFleetApi}. @public */
export const runnerFleetApiRef = createApiRef<RunnerFleetApi>({
  id: 'plugin.runner-fleet.api',
});
