import type { LoggerService } from '@backstage/backend-plugin-api';
import { http, HttpResponse, type HttpHandler } from 'msw';

export const TEST_TOKEN = 'glpat-DiscoveryTestToken-42';
export const TEST_API = 'https://gitlab.example.org/api/v4';

/** A runner of the fake GitLab, in GitLab's REST shapes. */
export interface FakeRunner {
  id: number;
  description: string;
  tags: string[];
  runnerType?: 'instance_type' | 'group_type' | 'project_type';
  paused?: boolean;
  runUntagged?: boolean;
  status?: 'online' | 'offline' | 'stale' | 'never_contacted';
  contactedAt?: string | null;
  /** Manager versions; `missing` makes the managers endpoint return 404. */
  managers?: Array<{ version: string; architecture?: string }> | 'missing';
}

/** Failures the fake GitLab injects. Counters are consumed as requests arrive. */
export interface FakeFaults {
  /** Page of `/runners/all` that always returns 500. */
  failPage?: number;
  /** Pages of `/runners/all` that return 429 once, with this Retry-After. */
  rateLimitPages?: Map<number, string>;
  /** Runner ids whose details return 500 this many times before succeeding. */
  detailErrors?: Map<number, number>;
}

export interface FakeGitLabRequests {
  pages: number[];
  details: number;
  managers: number;
}

/**
 * Builds msw handlers for `/runners/all`, `/runners/:id` and
 * `/runners/:id/managers` over `runners`. Pages carry `X-Next-Page` but
 * never `X-Total`, as GitLab does past 10,000 rows.
 */
export function fakeGitLabHandlers(
  runners: FakeRunner[],
  faults: FakeFaults = {},
  requests: FakeGitLabRequests = { pages: [], details: 0, managers: 0 },
): HttpHandler[] {
  const byId = new Map(runners.map(r => [r.id, r]));
  const rateLimitPages = new Map(faults.rateLimitPages);
  const detailErrors = new Map(faults.detailErrors);

  const unauthorized = (request: Request) =>
    request.headers.get('private-token') !== TEST_TOKEN
      ? HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 })
      : undefined;

  const summary = (runner: FakeRunner) => ({
    id: runner.id,
    description: runner.description,
    ip_address: null,
    active: !runner.paused,
    paused: Boolean(runner.paused),
    is_shared: (runner.runnerType ?? 'instance_type') === 'instance_type',
    runner_type: runner.runnerType ?? 'instance_type',
    name: 'gitlab-runner',
    online: (runner.status ?? 'online') === 'online',
    status: runner.status ?? 'online',
    created_at: '2026-01-05T10:00:00.000Z',
  });

  return [
    http.get(`${TEST_API}/runners/all`, ({ request }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      const url = new URL(request.url);
      const page = Number(url.searchParams.get('page') ?? '1');
      const perPage = Number(url.searchParams.get('per_page') ?? '20');
      requests.pages.push(page);

      if (faults.failPage === page) {
        return HttpResponse.json(
          { message: '500 Internal Server Error' },
          { status: 500 },
        );
      }
      const retryAfter = rateLimitPages.get(page);
      if (retryAfter !== undefined) {
        rateLimitPages.delete(page);
        return HttpResponse.json(
          { message: 'Retry later' },
          { status: 429, headers: { 'retry-after': retryAfter } },
        );
      }

      const start = (page - 1) * perPage;
      const rows = runners.slice(start, start + perPage).map(summary);
      const last = start + perPage >= runners.length;
      return HttpResponse.json(rows, {
        headers: {
          'x-page': String(page),
          'x-per-page': String(perPage),
          'x-next-page': last ? '' : String(page + 1),
        },
      });
    }),

    http.get(`${TEST_API}/runners/:id`, ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      requests.details += 1;
      const runner = byId.get(Number(params.id));
      if (!runner) {
        return HttpResponse.json(
          { message: '404 Runner Not Found' },
          { status: 404 },
        );
      }
      const errorsLeft = detailErrors.get(runner.id) ?? 0;
      if (errorsLeft > 0) {
        detailErrors.set(runner.id, errorsLeft - 1);
        return HttpResponse.json(
          { message: '500 Internal Server Error' },
          { status: 500 },
        );
      }
      return HttpResponse.json({
        ...summary(runner),
        tag_list: runner.tags,
        run_untagged: Boolean(runner.runUntagged),
        locked: false,
        access_level: 'not_protected',
        maximum_timeout: null,
        contacted_at:
          runner.contactedAt === undefined
            ? new Date().toISOString()
            : runner.contactedAt,
        maintenance_note: null,
        version: '',
        revision: '',
        platform: '',
        architecture: '',
        projects: [],
        groups: [],
      });
    }),

    http.get(`${TEST_API}/runners/:id/managers`, ({ request, params }) => {
      const denied = unauthorized(request);
      if (denied) return denied;
      requests.managers += 1;
      const runner = byId.get(Number(params.id));
      if (!runner || runner.managers === 'missing') {
        return HttpResponse.json({ message: '404 Not found' }, { status: 404 });
      }
      return HttpResponse.json(
        (runner.managers ?? [{ version: '18.6.0' }]).map((manager, index) => ({
          id: runner.id * 10 + index,
          system_id: `s_${String(runner.id).padStart(6, '0')}${index}`,
          version: manager.version,
          revision: 'a1b2c3d4',
          platform: 'linux',
          architecture: manager.architecture ?? 'amd64',
          created_at: '2026-01-05T10:00:00.000Z',
          contacted_at:
            runner.contactedAt === undefined
              ? new Date().toISOString()
              : runner.contactedAt,
          ip_address: '10.0.0.1',
          status: runner.status ?? 'online',
          job_execution_status: 'idle',
        })),
      );
    }),
  ];
}

/** Creates a logger that records every line, error included, as text. */
export function createCapturingLogger(lines: string[] = []): LoggerService {
  const record =
    (level: string) => (message: string, meta?: Error | object) => {
      lines.push(`${level} ${message}`);
      if (meta instanceof Error) {
        lines.push(`${level} ${meta.message} ${meta.stack}`);
      } else if (meta) {
        lines.push(`${level} ${JSON.stringify(meta)}`);
      }
    };
  const logger: LoggerService = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return logger;
}
