import { http, HttpResponse } from 'msw';

/** Base URL of the fake GitLab instance; requests never leave the process. */
export const GITLAB_HOST = '127.0.0.1:65530';
export const GITLAB_BASE_URL = `http://${GITLAB_HOST}`;
const API = `${GITLAB_BASE_URL}/api/v4`;

/** The integration token the fake instance expects. */
export const INTEGRATION_TOKEN = 'glpat-integration-secret-0001';

/** Config for `integrations.gitlab` pointing at the fake instance. */
export const gitlabIntegrationConfig = {
  integrations: {
    gitlab: [
      {
        host: GITLAB_HOST,
        apiBaseUrl: API,
        baseUrl: GITLAB_BASE_URL,
        token: INTEGRATION_TOKEN,
      },
    ],
  },
};

/** A request the fake instance received. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** State of the fake GitLab instance, shaped like GitLab's REST API v4 responses. */
export interface FakeGitlabState {
  users: Array<{ id: number; username: string; name: string; state: string }>;
  projects: Array<{ id: number; path_with_namespace: string; name: string; default_branch?: string }>;
  groups: Array<{ id: number; full_path: string; name: string }>;
  /** `project:<id>` or `group:<id>` to user id to access level, inherited included. */
  members: Record<string, Record<number, number>>;
  variables: Record<number, Record<string, { value: string; masked: boolean; protected: boolean }>>;
  runners: Array<{ id: number; token: string; body: Record<string, unknown> }>;
  requests: RecordedRequest[];
  /** Makes POST /projects/:id/variables fail with this status. */
  failVariableCreate?: number;
  nextRunnerToken: string;
}

/** Creates the fake instance's default state: the example groups and projects. */
export function createGitlabState(): FakeGitlabState {
  return {
    users: [
      { id: 11, username: 'alice', name: 'Alice Owner', state: 'active' },
      { id: 12, username: 'bob', name: 'Bob Developer', state: 'active' },
      { id: 13, username: 'carol.gl', name: 'Carol Maintainer', state: 'active' },
    ],
    projects: [
      { id: 501, path_with_namespace: 'physics/atlas-analysis', name: 'atlas-analysis', default_branch: 'master' },
      { id: 502, path_with_namespace: 'hardware/trigger-firmware', name: 'trigger-firmware' },
      { id: 900, path_with_namespace: 'platform/runner-infrastructure', name: 'runner-infrastructure', default_branch: 'main' },
    ],
    groups: [{ id: 31, full_path: 'ml', name: 'ml' }],
    members: {
      'project:501': { 11: 50, 12: 30, 13: 40 },
      'project:502': { 11: 50 },
      'group:31': { 11: 50 },
    },
    variables: { 900: {} },
    runners: [],
    requests: [],
    nextRunnerToken: 'glrt-t1_SECRETxRUNNERxTOKENx9876',
  };
}

function notFound(what: string) {
  return HttpResponse.json({ message: `404 ${what} Not Found` }, { status: 404 });
}

function findProject(state: FakeGitlabState, id: string) {
  const decoded = decodeURIComponent(id);
  return state.projects.find(
    p => String(p.id) === decoded || p.path_with_namespace === decoded,
  );
}

function findGroup(state: FakeGitlabState, id: string) {
  const decoded = decodeURIComponent(id);
  return state.groups.find(g => String(g.id) === decoded || g.full_path === decoded);
}

async function record(state: FakeGitlabState, request: Request) {
  let body: unknown = undefined;
  if (request.method !== 'GET' && request.method !== 'DELETE') {
    const text = await request.clone().text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  state.requests.push({
    method: request.method,
    path: new URL(request.url).pathname + new URL(request.url).search,
    body,
  });
  return request.headers.get('private-token') === INTEGRATION_TOKEN;
}

/** msw handlers for the GitLab endpoints the actions call. */
export function gitlabHandlers(state: FakeGitlabState) {
  const unauthorized = () =>
    HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 });
  return [
    http.get(`${API}/users`, async ({ request }) => {
      if (!(await record(state, request))) return unauthorized();
      const username = new URL(request.url).searchParams.get('username');
      return HttpResponse.json(state.users.filter(u => u.username === username));
    }),
    http.get(`${API}/projects/:id`, async ({ request, params }) => {
      if (!(await record(state, request))) return unauthorized();
      const project = findProject(state, String(params.id));
      return project ? HttpResponse.json(project) : notFound('Project');
    }),
    http.get(`${API}/groups/:id`, async ({ request, params }) => {
      if (!(await record(state, request))) return unauthorized();
      const group = findGroup(state, String(params.id));
      return group ? HttpResponse.json(group) : notFound('Group');
    }),
    http.get(`${API}/:kind/:id/members/all/:userId`, async ({ request, params }) => {
      if (!(await record(state, request))) return unauthorized();
      const kind = params.kind === 'projects' ? 'project' : 'group';
      const level = state.members[`${kind}:${params.id}`]?.[Number(params.userId)];
      if (!level) return notFound('Member');
      const user = state.users.find(u => u.id === Number(params.userId))!;
      return HttpResponse.json({ ...user, access_level: level });
    }),
    http.get(`${API}/projects/:id/variables/:key`, async ({ request, params }) => {
      if (!(await record(state, request))) return unauthorized();
      const project = findProject(state, String(params.id));
      const variable = project && state.variables[project.id]?.[String(params.key)];
      return variable
        ? HttpResponse.json({ key: params.key, ...variable, variable_type: 'env_var' })
        : notFound('Variable');
    }),
    http.post(`${API}/projects/:id/variables`, async ({ request, params }) => {
      if (!(await record(state, request))) return unauthorized();
      const project = findProject(state, String(params.id));
      if (!project) return notFound('Project');
      const body = (await request.json()) as Record<string, unknown>;
      if (state.failVariableCreate) {
        // GitLab echoes rejected values in some validation messages.
        return HttpResponse.json(
          { message: { value: [`${String(body.value)} is invalid`] } },
          { status: state.failVariableCreate },
        );
      }
      state.variables[project.id] ??= {};
      state.variables[project.id][String(body.key)] = {
        value: String(body.value),
        masked: Boolean(body.masked),
        protected: Boolean(body.protected),
      };
      return HttpResponse.json(
        {
          key: body.key,
          value: body.value,
          masked: body.masked,
          protected: body.protected,
          raw: body.raw,
          variable_type: body.variable_type ?? 'env_var',
          environment_scope: '*',
        },
        { status: 201 },
      );
    }),
    http.post(`${API}/user/runners`, async ({ request }) => {
      if (!(await record(state, request))) return unauthorized();
      const body = (await request.json()) as Record<string, unknown>;
      const id = 7000 + state.runners.length + 1;
      state.runners.push({ id, token: state.nextRunnerToken, body });
      return HttpResponse.json(
        { id, token: state.nextRunnerToken, token_expires_at: null },
        { status: 201 },
      );
    }),
    http.delete(`${API}/runners/:id`, async ({ request, params }) => {
      if (!(await record(state, request))) return unauthorized();
      state.runners = state.runners.filter(r => r.id !== Number(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}
