import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type RunningGitLabSimulator,
  startGitLabSimulator,
} from '@runner-fleet/gitlab-simulator';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import gitlabModule from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { scaffolderModuleRunnerFleet } from './module';

// Runs examples/templates/request-specialised-runner through the real
// scaffolder backend, with the GitLab module's publish action and this
// module's actions, against the GitLab simulator on 127.0.0.1.

const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');
const GUEST = 'user:default/guest';

// A member of the team that owns every fleet; the example catalog has none.
const PLATFORM_MEMBER: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'platform-member', namespace: 'default' },
  spec: { memberOf: ['platform-team'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/platform-team' }],
};
const INFRASTRUCTURE = encodeURIComponent('platform/runner-infrastructure');

function readEntities(relativePath: string): Entity[] {
  const text = fs.readFileSync(
    path.join(REPOSITORY_ROOT, relativePath),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(document => document.toJS() as Entity | null)
    .filter((entity): entity is Entity => entity !== null)
    .map(entity => ({
      ...entity,
      metadata: { namespace: 'default', ...entity.metadata },
    }));
}

let simulator: RunningGitLabSimulator;

beforeAll(async () => {
  simulator = await startGitLabSimulator({
    port: 0,
    // With the default seed, 60 projects include legacy physics projects.
    projects: 60,
    logLevel: 'error',
  });
}, 60_000);

afterAll(async () => {
  await simulator?.close();
});

async function gitlab<T>(
  apiPath: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${simulator.url}/api/v4${apiPath}`, {
    headers: { 'PRIVATE-TOKEN': simulator.token },
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function startPortal() {
  const entities = [
    ...readEntities('examples/runner-fleet/org.yaml'),
    ...readEntities('examples/runner-fleet/pools.yaml'),
    ...readEntities('examples/runner-fleet/fleets.yaml'),
    ...readEntities('examples/runner-fleet/clusters.yaml'),
    ...readEntities(
      'examples/templates/request-specialised-runner/template.yaml',
    ),
    ...readEntities('examples/templates/lend-qa-runners/template.yaml'),
    ...readEntities(
      'examples/templates/move-to-kubernetes-runners/template.yaml',
    ),
    ...readEntities('examples/templates/add-cluster-to-fleet/template.yaml'),
    PLATFORM_MEMBER,
  ];
  const url = new URL(simulator.url);
  return startTestBackend({
    features: [
      scaffolderPlugin,
      gitlabModule,
      scaffolderModuleRunnerFleet,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            gitlab: [
              {
                host: url.host,
                apiBaseUrl: `${simulator.url}/api/v4`,
                baseUrl: simulator.url,
                token: simulator.token,
              },
            ],
          },
        },
      }),
    ],
  });
}

async function runTask(
  server: Awaited<ReturnType<typeof startPortal>>['server'],
  values: Record<string, unknown>,
  template = 'request-specialised-runner',
  user = GUEST,
) {
  const base = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/scaffolder/v2/tasks`;
  const headers = {
    Authorization: mockCredentials.user.header(user),
    'Content-Type': 'application/json',
  };
  const created = await fetch(base, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values,
    }),
  });
  expect({
    status: created.status,
    body: created.status === 201 ? undefined : await created.text(),
  }).toEqual({
    status: 201,
    body: undefined,
  });
  const taskId = ((await created.json()) as { id: string }).id;

  for (let attempt = 0; attempt < 300; attempt += 1) {
    const task = (await (
      await fetch(`${base}/${taskId}`, { headers })
    ).json()) as { status: string };
    if (['completed', 'failed', 'cancelled'].includes(task.status)) {
      const events = (await (
        await fetch(`${base}/${taskId}/events`, { headers })
      ).json()) as Array<{
        type: string;
        body: { message?: string; output?: any };
      }>;
      const completion = events.find(event => event.type === 'completion');
      const log = events
        .filter(event => event.type === 'log')
        .map(event => event.body.message)
        .join('\n');
      return { status: task.status, output: completion?.body?.output, log };
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`Task ${taskId} did not finish within 30 seconds`);
}

const ARM_REQUEST = {
  pool: 'resource:default/pool-arm64',
  cvmfs: false,
  targetKind: 'project',
  tags: ['arm64', 'physics-arm'],
  cpu: 2,
  memoryGiB: 4,
  accelerators: 0,
  justification: 'Build and test the analysis code natively on aarch64.',
};

describe('request-specialised-runner in the scaffolder backend', () => {
  it('opens a merge request for an ARM pool', async () => {
    const { body: projects } = await gitlab<
      Array<{ path_with_namespace: string }>
    >('/groups/physics/projects?per_page=1');
    const projectPath = projects[0].path_with_namespace;
    const { server } = await startPortal();

    const result = await runTask(server, {
      ...ARM_REQUEST,
      targetPath: projectPath,
      description: `${projectPath} on ARM`,
    });
    expect(result.log).not.toMatch(/glrt-/);
    expect(result.status).toBe('completed');

    const link = result.output.links[0].url as string;
    expect(link).toMatch(
      /\/platform\/runner-infrastructure\/-\/merge_requests\/\d+$/,
    );
    const iid = link.split('/').pop();
    const mergeRequest = await gitlab<{
      state: string;
      source_branch: string;
      target_branch: string;
    }>(`/projects/${INFRASTRUCTURE}/merge_requests/${iid}`);
    expect(mergeRequest.status).toBe(200);
    expect(mergeRequest.body.state).toBe('opened');
    expect(mergeRequest.body.target_branch).toBe('main');

    const tree = await gitlab<Array<{ path: string }>>(
      `/projects/${INFRASTRUCTURE}/repository/tree?recursive=true&per_page=100&ref=${encodeURIComponent(
        mergeRequest.body.source_branch,
      )}`,
    );
    const valuesPath = tree.body
      .map(entry => entry.path)
      .find(
        p => p.startsWith('runners/pool-arm64/') && p.endsWith('/values.yaml'),
      );
    expect(valuesPath).toMatch(/values\.yaml$/);
    const values = await fetch(
      `${
        simulator.url
      }/api/v4/projects/${INFRASTRUCTURE}/repository/files/${encodeURIComponent(
        valuesPath!,
      )}/raw?ref=${encodeURIComponent(mergeRequest.body.source_branch)}`,
      { headers: { 'PRIVATE-TOKEN': simulator.token } },
    );
    const text = await values.text();
    expect(text).toContain('executor = "kubernetes"');
    expect(text).toContain('kubernetes.io/arch');
    expect(text).not.toMatch(/glrt-/);

    const nextSteps = result.output.text[0].content as string;
    expect(nextSteps).toMatch(/The runner was created in GitLab/);
  }, 120_000);

  it('skips runner creation for a restricted pool', async () => {
    const { body: projects } = await gitlab<
      Array<{ path_with_namespace: string }>
    >('/groups/physics/projects?per_page=2');
    const projectPath = projects[1].path_with_namespace;
    const before = await gitlab<Array<{ id: number }>>(
      '/runners/all?per_page=100',
    );
    const { server } = await startPortal();

    const result = await runTask(server, {
      ...ARM_REQUEST,
      pool: 'resource:default/pool-fpga',
      tags: ['fpga'],
      accelerators: 1,
      targetPath: projectPath,
      description: `${projectPath} on FPGA`,
    });
    expect(result.status).toBe('completed');
    expect(result.log).toMatch(/Skipping step runner/);
    expect(result.output.text[0].content).toMatch(/The pool is restricted/);

    const after = await gitlab<Array<{ id: number }>>(
      '/runners/all?per_page=100',
    );
    expect(after.body.map(runner => runner.id)).toEqual(
      before.body.map(runner => runner.id),
    );

    const iid = (result.output.links[0].url as string).split('/').pop();
    const mergeRequest = await gitlab<{ source_branch: string }>(
      `/projects/${INFRASTRUCTURE}/merge_requests/${iid}`,
    );
    const tree = await gitlab<Array<{ path: string }>>(
      `/projects/${INFRASTRUCTURE}/repository/tree?recursive=true&per_page=100&ref=${encodeURIComponent(
        mergeRequest.body.source_branch,
      )}`,
    );
    const paths = tree.body.map(entry => entry.path);
    expect(paths.some(p => p.startsWith('runners/pool-fpga/'))).toBe(false);
    expect(
      paths.some(
        p => p.startsWith('requests/pool-fpga/') && p.endsWith('/request.yaml'),
      ),
    ).toBe(true);
  }, 120_000);

  it('fails for a project the guest does not own', async () => {
    const { body: projects } = await gitlab<
      Array<{ path_with_namespace: string }>
    >('/groups/hardware/projects?per_page=1');
    const { server } = await startPortal();
    const result = await runTask(server, {
      ...ARM_REQUEST,
      targetPath: projects[0].path_with_namespace,
      description: 'Not ours',
    });
    expect(result.status).toBe('failed');
    expect(result.log).toMatch(
      /alice is not a member of GitLab project hardware\//,
    );
  }, 120_000);
});

describe('fleet templates in the scaffolder backend', () => {
  async function mergeRequestFiles(url: string) {
    const iid = url.split('/').pop();
    const mergeRequest = await gitlab<{ source_branch: string; title: string }>(
      `/projects/${INFRASTRUCTURE}/merge_requests/${iid}`,
    );
    expect(mergeRequest.status).toBe(200);
    const file = async (filePath: string) => {
      const response = await fetch(
        `${
          simulator.url
        }/api/v4/projects/${INFRASTRUCTURE}/repository/files/${encodeURIComponent(
          filePath,
        )}/raw?ref=${encodeURIComponent(mergeRequest.body.source_branch)}`,
        { headers: { 'PRIVATE-TOKEN': simulator.token } },
      );
      expect(response.status).toBe(200);
      return response.text();
    };
    return { title: mergeRequest.body.title, file };
  }

  it('lends the QA fleet through a merge request', async () => {
    const until = new Date(Date.now() + 7 * 24 * 3600 * 1000)
      .toISOString()
      .slice(0, 10);
    const { server } = await startPortal();
    const result = await runTask(
      server,
      {
        fleet: 'resource:default/fleet-qa-k8s-default',
        borrower: 'resource:default/fleet-k8s-default',
        until,
        reason: 'Release week load on the default fleet',
      },
      'lend-qa-runners',
      'user:default/platform-member',
    );
    expect(result.log).not.toMatch(/Error/);
    expect(result.status).toBe('completed');

    const { title, file } = await mergeRequestFiles(result.output.links[0].url);
    expect(title).toBe(
      `Lend fleet-qa-k8s-default to fleet-k8s-default until ${until}`,
    );
    const fleet = await file('catalog/fleets/fleet-qa-k8s-default.yaml');
    expect(fleet).toContain('lentTo:');
    expect(fleet).toContain(until);
  }, 120_000);

  it('adds a cluster to the ARM fleet through a merge request', async () => {
    const { server } = await startPortal();
    const result = await runTask(
      server,
      {
        fleet: 'resource:default/fleet-k8s-arm',
        cluster: 'resource:default/cluster-qa',
        concurrent: 20,
      },
      'add-cluster-to-fleet',
      'user:default/platform-member',
    );
    expect(result.log).not.toMatch(/Error/);
    expect(result.status).toBe('completed');

    const { file } = await mergeRequestFiles(result.output.links[0].url);
    const fleet = await file('catalog/fleets/fleet-k8s-arm.yaml');
    expect(fleet).toContain('resource:default/cluster-qa');
  }, 120_000);

  it('denies the guest, who is not in platform-team', async () => {
    const { server } = await startPortal();
    const result = await runTask(
      server,
      {
        fleet: 'resource:default/fleet-k8s-arm',
        cluster: 'resource:default/cluster-qa',
        concurrent: 20,
      },
      'add-cluster-to-fleet',
    );
    expect(result.status).toBe('failed');
    expect(result.log).toMatch(
      /user:default\/guest is not a member of group:default\/platform-team/,
    );
  }, 120_000);
});

describe('move-to-kubernetes-runners in the scaffolder backend', () => {
  async function ciFile(projectPath: string, ref: string): Promise<string> {
    const response = await fetch(
      `${simulator.url}/api/v4/projects/${encodeURIComponent(
        projectPath,
      )}/repository/files/.gitlab-ci.yml/raw?ref=${encodeURIComponent(ref)}`,
      { headers: { 'PRIVATE-TOKEN': simulator.token } },
    );
    expect(response.status).toBe(200);
    return response.text();
  }

  /** Counts the jobs of a CI file whose tags include `docker`. */
  const dockerTags = (text: string) =>
    Object.values(
      (parseYaml(text) ?? {}) as Record<string, { tags?: unknown }>,
    ).filter(job => Array.isArray(job?.tags) && job.tags.includes('docker'))
      .length;

  it('opens a merge request that removes docker tags', async () => {
    const { body: projects } = await gitlab<
      Array<{ path_with_namespace: string }>
    >('/groups/physics/projects?per_page=100');
    let legacyProject: string | undefined;
    for (const project of projects) {
      if (dockerTags(await ciFile(project.path_with_namespace, 'main')) > 0) {
        legacyProject = project.path_with_namespace;
        break;
      }
    }
    expect(legacyProject).toBeDefined();
    const before = dockerTags(await ciFile(legacyProject!, 'main'));

    const { server } = await startPortal();
    const result = await runTask(
      server,
      { project: legacyProject, switchLegacyTags: true },
      'move-to-kubernetes-runners',
    );
    expect(result.log).not.toMatch(/Error/);
    expect(result.status).toBe('completed');

    const url = result.output.links[0].url as string;
    expect(url).toContain(`/${legacyProject}/-/merge_requests/`);
    const iid = url.split('/').pop();
    const mergeRequest = await gitlab<{
      source_branch: string;
      description: string;
    }>(`/projects/${encodeURIComponent(legacyProject!)}/merge_requests/${iid}`);
    expect(mergeRequest.status).toBe(200);
    expect(mergeRequest.body.description).toMatch(/Changed automatically/);
    const after = dockerTags(
      await ciFile(legacyProject!, mergeRequest.body.source_branch),
    );
    expect(after).toBeLessThan(before);
  }, 120_000);
});
