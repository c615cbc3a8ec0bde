import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the Runner Fleet backend plugin. */
  runnerFleet?: {
    gitlab?: {
      /**
       * Host of the `integrations.gitlab` entry to use, for example
       * `gitlab.example.org`. May be left out when only one is configured.
       */
      host?: string;
    };

    /** Fleet load sampling. */
    sampling?: {
      /** How often fleets are sampled. Default 1 minute. Accepts `{ minutes: 1 }`, `1m`, `PT1M` or `{ cron: '* * * * *' }`. */
      frequency?: HumanDuration | string | { cron: string };
      /** Maximum time of one sampling run. Default 5 minutes. */
      timeout?: HumanDuration | string;
      /** Delay before the first run after start. Default 15 seconds. */
      initialDelay?: HumanDuration | string;
      /** How long samples are kept; older ones are deleted by the sampling task. Default 14 days. */
      retention?: HumanDuration | string;
      /** Window for jobs started per minute and queue-wait percentiles. Default 10 minutes. */
      window?: HumanDuration | string;
      /** Hours of running-jobs history derived from job start and finish times when a fleet is first sampled. Default 6. */
      backfillHours?: number;
      /** Seconds between backfilled samples. Default 10. */
      backfillResolutionSeconds?: number;
    };

    /**
     * Prometheus with the runners' metrics. When set, running jobs,
     * started jobs, queue waits and failures come from Prometheus, with
     * GitLab as the fallback when a query fails.
     */
    prometheus?: {
      /** Base URL, for example `http://prometheus.monitoring:9090`. */
      baseUrl: string;
      /** Label that carries the fleet's entity name on the runner metrics, added by relabeling. Default `fleet`. */
      fleetLabel?: string;
      /** Timeout of one query. Default 10 seconds. */
      timeout?: HumanDuration | string;
    };

    /** Runner list flags. */
    runners?: {
      /** Runners without contact for longer than this are flagged stale. Default 7 days (GitLab's definition). */
      staleAfter?: HumanDuration | string;
      /** Versions below this one, for example `18.4.0`, are flagged outdated. Default: an older minor than the fleet's newest runner. */
      minimumVersion?: string;
    };

    /** The migration from the legacy fleet to Kubernetes. */
    migration?: {
      /** ISO date (YYYY-MM-DD) on which the legacy fleet is switched off. Default `2027-03-31`. */
      decommissionDate?: string;
      /** Entity reference of the legacy fleet. Default `resource:default/fleet-docker-machine`. */
      legacyFleet?: string;
    };

    /** Migration scorecards. */
    scorecards?: {
      /** How often the project list is read from the catalog (and GitLab). Default 5 minutes. */
      frequency?: HumanDuration | string | { cron: string };
      /** Maximum time of one discovery or worker run. Default 30 minutes; a worker run stops claiming batches after half of it. */
      timeout?: HumanDuration | string;
      /** Delay before the first run after start. Default 30 seconds. */
      initialDelay?: HumanDuration | string;
      /** Projects one replica claims at a time. Default 50. */
      batchSize?: number;
      /** Projects evaluated in parallel within a batch. Default 8. */
      concurrency?: number;
      /** A project is evaluated again this long after its last evaluation. Default 6 hours. */
      reevaluateAfter?: HumanDuration | string;
      /** Job evidence is read again when older than this. Default 24 hours. */
      evidenceMaxAge?: HumanDuration | string;
      /** How long a claimed batch stays locked to one replica. Default 10 minutes. */
      lockDuration?: HumanDuration | string;
      /** Evaluate every project the GitLab token can see, not only catalog components. Default false. */
      includeAllProjects?: boolean;
      /** Compare the resolved jobs with GitLab's CI lint `merged_yaml` (one more request per analysis). Default false. */
      ciLintCrossCheck?: boolean;
      /** Re-check a project when a `gitlab.push` event for its default branch arrives. Default true. */
      pushEvents?: boolean;
      /** Days of job history used as evidence. Default 30. */
      evidenceWindowDays?: number;
      /** Maximum jobs read per project for evidence. Default 200. */
      evidenceMaxJobs?: number;
      /** Hosts that remote includes may be fetched from. Default none. */
      allowedRemoteHosts?: string[];
      /**
       * Configuration of the migration engine (`@runner-fleet/ci`): tag
       * meanings, entrypoint images, disabled rules and severity
       * overrides. The decommission date always comes from
       * `runnerFleet.migration.decommissionDate`.
       */
      engine?: object;
    };
  };
}
