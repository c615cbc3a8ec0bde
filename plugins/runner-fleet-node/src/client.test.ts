import type { LoggerService } from '@backstage/backend-plugin-api';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createGitLabClient, type CreateGitLabClientOptions } from './client';
import { GitLabRequestError } from './errors';

const TOKEN = 'glpat-TopSecretToken-0123456789';
const API = 'https://gitlab.example.org/api/v4';

const server = setupServer();
registerMswTestHooks(server);

/** Creates a logger that records every line and metadata object as text. */
function createCapturingLogger(lines: string[] = []): LoggerService {
  const record =
    (level: string) => (message: string, meta?: Error | object) => {
      lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
      if (meta instanceof Error) {
        lines.push(`${meta.message} ${meta.stack}`);
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

function makeRunner(id: number) {
  return {
    id,
    description: `k8s-default @ cluster-default-v3 #${id}`,
    ip_address: null,
    active: true,
    paused: false,
    is_shared: true,
    runner_type: 'instance_type',
    name: 'gitlab-runner',
    online: true,
    status: 'online',
    created_at: '2026-01-05T10:00:00.000Z',
  };
}

interface TestClientOptions {
  policy?: CreateGitLabClientOptions['policy'];
  logLines?: string[];
  now?: () => number;
}

function createTestClient(options: TestClientOptions = {}) {
  const sleeps: number[] = [];
  const client = createGitLabClient({
    config: new ConfigReader({
      integrations: {
        gitlab: [{ host: 'gitlab.example.org', apiBaseUrl: API, token: TOKEN }],
      },
    }),
    logger: createCapturingLogger(options.logLines),
    policy: {
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 1000,
      ...options.policy,
    },
    hooks: {
      sleep: async ms => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      now: options.now,
    },
  });
  return { client, sleeps };
}

describe('createGitLabClient', () => {
  it('walks more than 10,000 runners without X-Total', async () => {
    const total = 10_250;
    const seenPages: number[] = [];
    server.use(
      http.get(`${API}/runners/all`, ({ request }) => {
        const url = new URL(request.url);
        const page = Number(url.searchParams.get('page'));
        const perPage = Number(url.searchParams.get('per_page'));
        seenPages.push(page);
        const start = (page - 1) * perPage;
        const rows = [];
        for (let id = start + 1; id <= Math.min(total, start + perPage); id++) {
          rows.push(makeRunner(id));
        }
        const last = start + perPage >= total;
        // GitLab omits X-Total, X-Total-Pages and rel="last" past 10,000 rows.
        return HttpResponse.json(rows, {
          headers: {
            'x-page': String(page),
            'x-per-page': String(perPage),
            'x-next-page': last ? '' : String(page + 1),
            'x-prev-page': page > 1 ? String(page - 1) : '',
          },
        });
      }),
    );
    const { client } = createTestClient();

    const runners = await client.listAllRunners();

    expect(runners).toHaveLength(total);
    expect(new Set(runners.map(r => r.id)).size).toBe(total);
    expect(seenPages).toHaveLength(103);
    expect(seenPages[102]).toBe(103);
  });

  it('follows Link headers when X-Next-Page is absent', async () => {
    const pages: Record<string, number[]> = {
      start: [1, 2],
      c1: [3, 4],
      c2: [5],
    };
    server.use(
      http.get(`${API}/projects`, ({ request }) => {
        const url = new URL(request.url);
        const cursor = url.searchParams.get('id_after') ?? 'start';
        const nextCursor: Record<string, string> = { start: 'c1', c1: 'c2' };
        const next = nextCursor[cursor];
        const headers: Record<string, string> = {};
        if (next) {
          headers.link = `<${API}/projects?id_after=${next}&pagination=keyset&per_page=100>; rel="next", <${API}/projects?pagination=keyset&per_page=100>; rel="first"`;
        }
        return HttpResponse.json(
          pages[cursor].map(id => ({ id, name: `p${id}` })),
          { headers },
        );
      }),
    );
    const { client } = createTestClient();

    const projects = await client.listProjects();

    expect(projects.map(p => p.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('waits the Retry-After seconds of a 429', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runners/7`, () => {
        calls += 1;
        if (calls === 1) {
          return HttpResponse.json(
            { message: '429 Too Many Requests' },
            { status: 429, headers: { 'retry-after': '7' } },
          );
        }
        return HttpResponse.json({ ...makeRunner(7), tag_list: ['docker'] });
      }),
    );
    const { client, sleeps } = createTestClient();

    const runner = await client.getRunner(7);

    expect(runner.tag_list).toEqual(['docker']);
    expect(calls).toBe(2);
    expect(sleeps).toEqual([7000]);
    expect(client.stats.rateLimited).toBe(1);
  });

  it('waits until the HTTP date of a Retry-After', async () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    let calls = 0;
    server.use(
      http.get(`${API}/runners/8`, () => {
        calls += 1;
        if (calls === 1) {
          return new HttpResponse(null, {
            status: 429,
            headers: { 'retry-after': 'Fri, 04 Dec 2026 12:00:30 GMT' },
          });
        }
        return HttpResponse.json(makeRunner(8));
      }),
    );
    const { client, sleeps } = createTestClient({ now: () => now });

    await client.getRunner(8);

    expect(sleeps).toEqual([30_000]);
  });

  it('pauses other requests after a 429', async () => {
    const now = 1_000_000;
    let limited = false;
    server.use(
      http.get(`${API}/runners/:id`, ({ params }) => {
        if (params.id === '1' && !limited) {
          limited = true;
          return new HttpResponse(null, {
            status: 429,
            headers: { 'retry-after': '5' },
          });
        }
        return HttpResponse.json(makeRunner(Number(params.id)));
      }),
    );
    // The clock does not advance, so the second request sees the pause set by the first.
    const { client, sleeps } = createTestClient({
      now: () => now,
      policy: { concurrency: 1 },
    });

    await client.getRunner(1);
    await client.getRunner(2);

    expect(sleeps).toEqual([5000, 5000]);
  });

  it('fails at once when Retry-After exceeds the maximum wait', async () => {
    server.use(
      http.get(
        `${API}/runners/9`,
        () =>
          new HttpResponse(null, {
            status: 429,
            headers: { 'retry-after': '3600' },
          }),
      ),
    );
    const { client, sleeps } = createTestClient({
      policy: { maxRetryAfterMs: 60_000 },
    });

    await expect(client.getRunner(9)).rejects.toThrow(
      /Retry-After 3600 s, longer than the maximum wait of 60 s/,
    );
    expect(sleeps).toEqual([]);
  });

  it('retries a 500 with backoff, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runners/10/managers`, () => {
        calls += 1;
        if (calls < 3) {
          return HttpResponse.json(
            { message: '500 Internal Server Error' },
            { status: 500 },
          );
        }
        return HttpResponse.json([
          {
            id: 1,
            system_id: 's_0123456789ab',
            version: '18.5.0',
            revision: 'bda84871',
            platform: 'linux',
            architecture: 'amd64',
            created_at: '2026-11-01T00:00:00Z',
            contacted_at: '2026-12-04T11:59:00Z',
            ip_address: '10.0.0.1',
            status: 'online',
            job_execution_status: 'idle',
          },
        ]);
      }),
    );
    const { client, sleeps } = createTestClient();

    const managers = await client.listRunnerManagers(10);

    expect(managers.map(m => m.version)).toEqual(['18.5.0']);
    expect(calls).toBe(3);
    // base 100 ms doubling, with jitter fixed at 0.5: 75 ms, then 150 ms.
    expect(sleeps).toEqual([75, 150]);
    expect(client.stats.retries).toBe(2);
  });

  it('retries a timed-out request, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runners/11`, async () => {
        calls += 1;
        if (calls === 1) {
          await delay(2000);
        }
        return HttpResponse.json(makeRunner(11));
      }),
    );
    const { client } = createTestClient({ policy: { requestTimeoutMs: 100 } });

    const runner = await client.getRunner(11);

    expect(runner.id).toBe(11);
    expect(calls).toBe(2);
    expect(client.stats.timeouts).toBe(1);
  });

  it('names the page that fails for good', async () => {
    server.use(
      http.get(`${API}/runners/all`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        if (page === 3) {
          return HttpResponse.json(
            { message: '502 Bad Gateway' },
            { status: 502 },
          );
        }
        return HttpResponse.json([makeRunner(page)], {
          headers: { 'x-next-page': String(page + 1) },
        });
      }),
    );
    const { client, sleeps } = createTestClient({ policy: { maxRetries: 2 } });

    const error = await client.listAllRunners().catch(e => e);

    expect(error).toBeInstanceOf(GitLabRequestError);
    expect(error.page).toBe(3);
    expect(error.status).toBe(502);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('page 3');
    expect(error.message).toContain('gitlab.example.org/api/v4/runners/all');
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a 404', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runners/12`, () => {
        calls += 1;
        return HttpResponse.json({ message: '404 Not found' }, { status: 404 });
      }),
    );
    const { client } = createTestClient();

    const error = await client.getRunner(12).catch(e => e);

    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'GitLab GET gitlab.example.org/api/v4/runners/12 failed: HTTP 404: 404 Not found',
    );
    expect(calls).toBe(1);
  });

  it('does not retry a POST after a 500', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/user/runners`, () => {
        calls += 1;
        return new HttpResponse(null, { status: 500 });
      }),
    );
    const { client } = createTestClient();

    await expect(
      client.request({ method: 'POST', path: 'user/runners' }),
    ).rejects.toThrow(/HTTP 500/);
    expect(calls).toBe(1);
  });

  it('keeps the token out of errors and logs', async () => {
    const logLines: string[] = [];
    let seenToken: string | null = null;
    server.use(
      http.get(`${API}/runners/13`, ({ request }) => {
        seenToken = request.headers.get('private-token');
        // A misbehaving proxy that echoes the token back.
        return HttpResponse.json(
          { message: `401 Unauthorized: token ${TOKEN} is revoked` },
          { status: 401 },
        );
      }),
      http.get(`${API}/runners/14`, () => HttpResponse.error()),
    );
    const { client } = createTestClient({
      logLines,
      policy: { maxRetries: 1 },
    });

    const unauthorized = await client.getRunner(13).catch(e => e);
    const network = await client.getRunner(14).catch(e => e);

    expect(seenToken).toBe(TOKEN);
    for (const error of [unauthorized, network]) {
      expect(error).toBeInstanceOf(GitLabRequestError);
      expect(error.message).not.toContain(TOKEN);
      expect(String(error.stack)).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    }
    expect(unauthorized.message).toContain('[redacted]');
    expect(network.failure).toBe('network');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });

  it('routes gitbeaker resources through the same retries', async () => {
    let calls = 0;
    let seenToken: string | null = null;
    server.use(
      http.get(`${API}/runners/15`, ({ request }) => {
        calls += 1;
        seenToken = request.headers.get('private-token');
        if (calls === 1) {
          return new HttpResponse(null, {
            status: 503,
            headers: { 'retry-after': '2' },
          });
        }
        return HttpResponse.json({ ...makeRunner(15), run_untagged: true });
      }),
    );
    const { client, sleeps } = createTestClient();

    const runner = await client.api.Runners.show(15);

    expect(runner.run_untagged).toBe(true);
    expect(seenToken).toBe(TOKEN);
    expect(sleeps).toEqual([2000]);
  });

  it('bounds the requests in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server.use(
      http.get(`${API}/runners/:id`, async ({ params }) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay(5);
        inFlight -= 1;
        return HttpResponse.json(makeRunner(Number(params.id)));
      }),
    );
    const { client } = createTestClient({ policy: { concurrency: 3 } });

    const ids = Array.from({ length: 20 }, (_, i) => i + 100);
    const runners = await Promise.all(ids.map(id => client.getRunner(id)));

    expect(runners.map(r => r.id)).toEqual(ids);
    expect(maxInFlight).toBe(3);
  });

  it('reads a raw file with its blob id', async () => {
    server.use(
      http.get(
        `${API}/projects/42/repository/files/.gitlab-ci.yml/raw`,
        ({ request }) => {
          expect(new URL(request.url).searchParams.get('ref')).toBe('main');
          return new HttpResponse('test:\n  script: make test\n', {
            headers: {
              'content-type': 'text/plain; charset=utf-8',
              'x-gitlab-blob-id': '79f7bbd25901e8334750839545a9bd021f0e4c83',
              'x-gitlab-last-commit-id':
                '570e7b2abdd848b95f2f578043fc23bd6f6fd24d',
            },
          });
        },
      ),
    );
    const { client } = createTestClient();

    const file = await client.getFile(42, '.gitlab-ci.yml', 'main');

    expect(file?.content).toBe('test:\n  script: make test\n');
    expect(file?.blobId).toBe('79f7bbd25901e8334750839545a9bd021f0e4c83');
    expect(file?.lastCommitId).toBe('570e7b2abdd848b95f2f578043fc23bd6f6fd24d');
  });

  it('asks HEAD for the blob id when raw has none', async () => {
    server.use(
      http.get(
        `${API}/projects/group%2Fproject/repository/files/ci%2Fbuild.yml/raw`,
        () =>
          new HttpResponse('{"a": 1}', {
            headers: { 'content-type': 'application/json' },
          }),
      ),
      http.head(
        `${API}/projects/group%2Fproject/repository/files/ci%2Fbuild.yml`,
        () =>
          new HttpResponse(null, {
            headers: { 'x-gitlab-blob-id': 'abc123' },
          }),
      ),
    );
    const { client } = createTestClient();

    const file = await client.getFile('group/project', 'ci/build.yml', 'main');

    expect(file?.content).toBe('{"a": 1}');
    expect(file?.blobId).toBe('abc123');
  });

  it('returns undefined for a missing file', async () => {
    server.use(
      http.get(`${API}/projects/42/repository/files/.gitlab-ci.yml/raw`, () =>
        HttpResponse.json({ message: '404 File Not Found' }, { status: 404 }),
      ),
    );
    const { client } = createTestClient();

    await expect(
      client.getFile(42, '.gitlab-ci.yml', 'main'),
    ).resolves.toBeUndefined();
  });

  it('rejects a host without an integration', () => {
    expect(() =>
      createGitLabClient({
        config: new ConfigReader({
          integrations: {
            gitlab: [{ host: 'gitlab.example.org', apiBaseUrl: API }],
          },
        }),
        host: 'gitlab.other.org',
        logger: createCapturingLogger(),
      }),
    ).toThrow(
      "No integrations.gitlab entry for host 'gitlab.other.org' (configured: gitlab.example.org, gitlab.com); add one with host, apiBaseUrl and token",
    );
  });
});
