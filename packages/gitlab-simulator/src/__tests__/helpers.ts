import { RunningGitLabSimulator } from '../server';

/** A fixed simulated time for tests: a Friday at noon UTC. */
export const TEST_NOW = Date.parse('2026-12-04T12:00:00.000Z');

export async function api(
  simulator: RunningGitLabSimulator,
  path: string,
  init: RequestInit & { token?: string | null; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? simulator.token : init.token;
  if (token !== null) headers.set('PRIVATE-TOKEN', token);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return fetch(`${simulator.url}/api/v4${path}`, { ...init, headers, body });
}

export async function apiJson<T = any>(
  simulator: RunningGitLabSimulator,
  path: string,
  init: Parameters<typeof api>[2] = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await api(simulator, path, init);
  const text = await response.text();
  let body: any = text;
  if (
    (response.headers.get('content-type') ?? '').includes('application/json')
  ) {
    body = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Parses a Link header into rel to URL. */
export function parseLinks(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of (header ?? '').matchAll(/<([^>]+)>; rel="([^"]+)"/g)) {
    links[match[2]] = match[1];
  }
  return links;
}
