import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Runner fleet discovery providers, keyed by provider id. The id
       * (letters, digits, `-`, `_`) appears in the provider name
       * `RunnerFleetEntityProvider:<id>` and in its logs.
       */
      runnerFleet?: {
        [id: string]: {
          /**
           * Host of the `integrations.gitlab` entry to read runners from,
           * for example `gitlab.example.org` or `127.0.0.1:8929`. May be
           * omitted when exactly one GitLab integration is configured. The
           * token must belong to an administrator, because
           * `GET /runners/all` is administrator-only.
           */
          host?: string;
          /**
           * Owner of discovered fleets.
           * @defaultValue group:default/platform-team
           */
          owner?: string;
          /**
           * Catalog namespace of discovered fleets and of fleets named by
           * `mapping.rules[].fleet` without a namespace.
           * @defaultValue default
           */
          namespace?: string;
          /**
           * When the sync runs. Defaults to every 10 minutes, a 5 minute
           * timeout and a 30 second initial delay, which gives the catalog
           * time to ingest declared fleets after startup.
           */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          /**
           * Runner types to read.
           * @defaultValue [instance_type, group_type, project_type]
           */
          runnerTypes?: Array<'instance_type' | 'group_type' | 'project_type'>;
          /**
           * Prefix of discovered fleet names, so a discovered fleet never
           * takes the name of a declared fleet the catalog has not ingested
           * yet. Empty string for none.
           * @defaultValue discovered-
           */
          discoveredNamePrefix?: string;
          /**
           * `spec.executor` of discovered fleets; GitLab's API does not
           * report the executor. One of kubernetes, docker+machine, docker,
           * docker-autoscaler, shell, instance.
           * @defaultValue kubernetes
           */
          defaultExecutor?: string;
          /**
           * How runners are grouped into fleets. For each runner the first
           * match wins: a rule's systemIds, a rule's descriptionPattern, a
           * rule's tags, the naming pattern, a declared fleet's `spec.tags`
           * (most shared tags), and last the runner's own tag set. Hints in
           * a declared fleet's `spec.discovery` act as rules tried before
           * these config rules.
           */
          mapping?: {
            /**
             * Regular expression with a named group `fleet` (and optionally
             * `cluster`) matched against runner descriptions. The fleet is
             * `fleet-<fleet group as entity name>`: `qa k8s-default @
             * cluster-qa` belongs to `fleet-qa-k8s-default`. Empty string
             * turns it off.
             * @defaultValue ^(?<fleet>.+?) @ (?<cluster>\S+)$
             */
            namingPattern?: string;
            /**
             * Runners that match nothing. `group-by-tags` makes one
             * discovered fleet per distinct tag set of instance runners and
             * leaves group and project runners out, because the platform
             * team does not run those; `group-all-by-tags` groups every
             * runner type; `ignore` leaves all of them out.
             * @defaultValue group-by-tags
             */
            unmatched?: 'group-by-tags' | 'group-all-by-tags' | 'ignore';
            /** Explicit rules, tried in order. A rule needs at least one criterion. */
            rules?: Array<{
              /** Fleet name or reference, for example `fleet-docker-machine`. */
              fleet: string;
              /** Regular expression matched against the runner description. */
              descriptionPattern?: string;
              /** Tags the runner must all carry. */
              tags?: string[];
              /** System ids (`s_…` or `r_…`) of runner managers. */
              systemIds?: string[];
              /** `spec.executor` when this rule creates a discovered fleet. */
              executor?: string;
            }>;
          };
          /** Limits of GitLab requests. */
          gitlab?: {
            /**
             * Maximum requests in flight.
             * @defaultValue 8
             */
            concurrency?: number;
            /**
             * Timeout of one attempt in milliseconds, body included.
             * @defaultValue 30000
             */
            requestTimeoutMs?: number;
            /**
             * Retries after 429, 5xx, timeouts and network errors.
             * @defaultValue 4
             */
            maxRetries?: number;
            /**
             * First backoff delay in milliseconds; doubles at each retry, with jitter.
             * @defaultValue 500
             */
            retryBaseDelayMs?: number;
            /**
             * Cap of one backoff delay in milliseconds.
             * @defaultValue 30000
             */
            retryMaxDelayMs?: number;
            /**
             * Longest Retry-After in milliseconds that a request waits for
             * before it fails.
             * @defaultValue 300000
             */
            maxRetryAfterMs?: number;
          };
        };
      };
    };
  };
}
