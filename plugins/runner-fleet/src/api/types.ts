import type {
  FleetLoad,
  FleetRunnerCounts,
} from '@runner-fleet/plugin-runner-fleet-common';

/**
 * One fleet as the fleet overview lists it: the catalog entity's spec and
 * live facts joined with the backend's latest load sample.
 * @public
 */
export interface FleetSummary {
  /** Catalog entity reference, for example `resource:default/fleet-k8s-default`. */
  entityRef: string;
  namespace: string;
  name: string;
  title?: string;
  lifecycle: string;
  executor: string;
  tags: string[];
  access?: string;
  /** Maximum jobs at once across the fleet. */
  concurrency: number;
  /** Runner counts from discovery, absent for fleets discovery has not synced yet. */
  runners?: FleetRunnerCounts;
  /** Latest load sample, absent until the backend sampled the fleet once. */
  load?: FleetLoad;
}

/** Dimension of a scorecard rollup. @public */
export type RollupDimension = 'owner' | 'group' | 'rule' | 'phase';

/** Query of `GET /projects`, paginated, sorted and filtered on the server. @public */
export interface ProjectQuery {
  /** 1-based page. */
  page: number;
  pageSize: number;
  /** Sort key such as `score`, `projectPath` or `blockers`; prefix `-` for descending order. */
  sort?: string;
  /** Structured filter, for example `phase:legacy,owner:group:default/physics`. */
  filter?: string;
  /** Free text matched against project paths. */
  q?: string;
}
