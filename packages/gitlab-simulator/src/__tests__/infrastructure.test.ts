import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, ReadEntry } from 'tar';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { startGitLabSimulator, RunningGitLabSimulator } from '../server';
import { findFleetsFile } from '../seed/infrastructure';
import { userToken } from '../seed/users';
import { api, apiJson, TEST_NOW } from './helpers';

const PROJECT = encodeURIComponent('platform/runner-infrastructure');

/** Lists the entries of a tar.gz with node-tar's parser: path to content. */
async function readTarGz(tarGz: Buffer): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const parser = new Parser();
  parser.on('entry', (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () =>
      entries.set(entry.path, Buffer.concat(chunks).toString('utf8')),
    );
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    parser.end(gunzipSync(tarGz));
  });
  return entries;
}

async function archive(
  simulator: RunningGitLabSimulator,
  query: string,
): Promise<{ status: number; root: string; entries: Map<string, string> }> {
  const response = await api(
    simulator,
    `/projects/${PROJECT}/repository/archive${query}`,
  );
  expect(response.status).toBe(200);
  const entries = await readTarGz(Buffer.from(await response.arrayBuffer()));
  const root = [...entries.keys()][0].split('/')[0];
  return { status: response.status, root, entries };
}

describe('infrastructure project', () => {
  let simulator: RunningGitLabSimulator;

  beforeAll(async () => {
    simulator = await startGitLabSimulator({
      projects: 30,
      jobsPerDay: 200,
      clock: () => TEST_NOW,
      now: TEST_NOW,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('is seeded in the platform group', async () => {
    const project = await apiJson(simulator, `/projects/${PROJECT}`);
    expect(project.status).toBe(200);
    const byId = await apiJson(simulator, `/projects/${project.body.id}`);
    expect(byId.body.path_with_namespace).toBe(
      'platform/runner-infrastructure',
    );
    expect(project.body.path_with_namespace).toBe(
      'platform/runner-infrastructure',
    );
    expect(project.body.default_branch).toBe('main');

    const all = await apiJson(simulator, '/projects?per_page=100');
    expect(all.body).toHaveLength(30);

    const group = await apiJson(simulator, '/groups/platform');
    expect(group.status).toBe(200);
  });

  it('is readable by the administrator only', async () => {
    const alice = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/tree`,
      {
        token: userToken('alice'),
      },
    );
    expect(alice.status).toBe(403);
  });

  it('contains one catalog file per example fleet', async () => {
    const examples = fs.readFileSync(findFleetsFile(__dirname)!, 'utf8');
    const fleetNames = parseAllDocuments(examples)
      .map(document => document.toJS())
      .filter(entity => entity?.spec?.type === 'gitlab-runner-fleet')
      .map(entity => entity.metadata.name as string);
    expect(fleetNames).toContain('fleet-k8s-arm');

    const tree = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/tree?path=catalog/fleets&per_page=100`,
    );
    expect(
      tree.body.map((entry: { name: string }) => entry.name).sort(),
    ).toEqual(fleetNames.map(name => `${name}.yaml`).sort());

    const arm = await api(
      simulator,
      `/projects/${PROJECT}/repository/files/${encodeURIComponent(
        'catalog/fleets/fleet-k8s-arm.yaml',
      )}/raw?ref=main`,
    );
    const entity = parseYaml(await arm.text());
    expect(entity.metadata.name).toBe('fleet-k8s-arm');
    expect(entity.spec.tags).toEqual(['arm64', 'aarch64']);
  });

  it('contains chart values for each Kubernetes cluster and a pipeline', async () => {
    const values = await api(
      simulator,
      `/projects/${PROJECT}/repository/files/${encodeURIComponent(
        'runners/cluster-arm/values.yaml',
      )}/raw`,
    );
    expect(values.status).toBe(200);
    const parsed = parseYaml(await values.text());
    expect(parsed.runners.tags).toBe('arm64,aarch64');
    expect(parsed.runners.secret).toBe('gitlab-runner-k8s-arm');
    expect(parsed.runners.config).toContain('privileged = false');

    const dockerMachine = await api(
      simulator,
      `/projects/${PROJECT}/repository/tree?path=runners&per_page=100`,
    );
    const folders = (await dockerMachine.json()).map(
      (entry: { name: string }) => entry.name,
    );
    expect(folders).toContain('cluster-default-v3');
    expect(folders).not.toContain('fleet-docker-machine');

    const lint = await apiJson(simulator, `/projects/${PROJECT}/ci/lint`);
    expect(lint.status).toBe(200);
    expect(lint.body.valid).toBe(true);
  });

  it('serves the same files from two simulators with one seed', async () => {
    const other = await startGitLabSimulator({
      projects: 30,
      jobsPerDay: 200,
      clock: () => TEST_NOW,
      now: TEST_NOW,
      logLevel: 'silent',
    });
    try {
      const first = await archive(simulator, '?sha=main');
      const second = await archive(other, '?sha=main');
      expect(second.root).toBe(first.root);
      expect([...second.entries]).toEqual([...first.entries]);
    } finally {
      await other.close();
    }
  });
});

describe('repository commits and archives', () => {
  let simulator: RunningGitLabSimulator;
  let baseCommit: string;
  let newCommit: string;

  beforeAll(async () => {
    simulator = await startGitLabSimulator({
      projects: 30,
      jobsPerDay: 200,
      clock: () => TEST_NOW,
      now: TEST_NOW,
      logLevel: 'silent',
    });
    const commits = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits?ref_name=main&per_page=1`,
    );
    baseCommit = commits.body[0].id;
    const created = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits`,
      {
        method: 'POST',
        json: {
          branch: 'add-runner',
          start_branch: 'main',
          commit_message: 'Add a runner',
          actions: [
            {
              action: 'create',
              file_path: 'runners/physics-arm/values.yaml',
              content: 'runners:\n  tags: arm64\n',
            },
          ],
        },
      },
    );
    if (created.status !== 201) {
      throw new Error(`Creating the test commit failed with ${created.status}`);
    }
    newCommit = created.body.id;
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('lists commits of a branch newest first', async () => {
    const commits = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits?ref_name=add-runner`,
    );
    expect(commits.status).toBe(200);
    expect(commits.body.map((commit: { id: string }) => commit.id)).toEqual([
      newCommit,
      baseCommit,
    ]);
    expect(commits.body[0].parent_ids).toEqual([baseCommit]);
  });

  it('limits the list with per_page', async () => {
    const commits = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits?ref_name=add-runner&per_page=1`,
    );
    expect(commits.body).toHaveLength(1);
    expect(commits.body[0].id).toBe(newCommit);
  });

  it('filters commits by path', async () => {
    const untouched = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits?ref_name=add-runner&path=catalog`,
    );
    expect(untouched.body.map((commit: { id: string }) => commit.id)).toEqual([
      baseCommit,
    ]);
    const touched = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits?ref_name=add-runner&path=runners/physics-arm`,
    );
    expect(touched.body.map((commit: { id: string }) => commit.id)).toEqual([
      newCommit,
    ]);
  });

  it('returns 404 for an unknown ref_name', async () => {
    const response = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/commits?ref_name=no-such-branch`,
    );
    expect(response.status).toBe(404);
  });

  it('archives a branch as tar.gz under one root folder', async () => {
    const { root, entries } = await archive(simulator, '?sha=add-runner');
    expect(root).toBe(`runner-infrastructure-add-runner-${newCommit}`);
    expect(entries.get(`${root}/runners/physics-arm/values.yaml`)).toBe(
      'runners:\n  tags: arm64\n',
    );
    expect(entries.has(`${root}/.gitlab-ci.yml`)).toBe(true);
  });

  it('archives one folder with full paths', async () => {
    const { root, entries } = await archive(
      simulator,
      '.tar.gz?sha=main&path=catalog/fleets',
    );
    const files = [...entries.keys()].filter(name => !name.endsWith('/'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      expect(file.startsWith(`${root}/catalog/fleets/`)).toBe(true);
    }
    expect(entries.has(`${root}/runners/physics-arm/values.yaml`)).toBe(false);
  });

  it('keeps paths longer than 100 characters', async () => {
    const longPath = `${'deep/'.repeat(25)}values.yaml`;
    await apiJson(simulator, `/projects/${PROJECT}/repository/commits`, {
      method: 'POST',
      json: {
        branch: 'long-path',
        start_branch: 'main',
        commit_message: 'Add a deep file',
        actions: [{ action: 'create', file_path: longPath, content: 'x: 1\n' }],
      },
    });
    const { root, entries } = await archive(simulator, '?sha=long-path');
    expect(entries.get(`${root}/${longPath}`)).toBe('x: 1\n');
  });

  it('extracts with the tar CLI', async () => {
    const response = await api(
      simulator,
      `/projects/${PROJECT}/repository/archive.tar.gz?sha=${newCommit}`,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-archive-'));
    try {
      const file = path.join(dir, 'archive.tar.gz');
      fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      execFileSync('tar', ['-xzf', file, '-C', dir, '--strip-components=1']);
      expect(
        fs.readFileSync(
          path.join(dir, 'runners/physics-arm/values.yaml'),
          'utf8',
        ),
      ).toBe('runners:\n  tags: arm64\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unsupported archive format with 400', async () => {
    const response = await apiJson(
      simulator,
      `/projects/${PROJECT}/repository/archive.zip`,
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(
      /format zip is not supported/,
    );
  });

  it('returns 404 for a missing folder or ref', async () => {
    const folder = await api(
      simulator,
      `/projects/${PROJECT}/repository/archive?path=no/such/folder`,
    );
    expect(folder.status).toBe(404);
    const ref = await api(
      simulator,
      `/projects/${PROJECT}/repository/archive?sha=no-such-branch`,
    );
    expect(ref.status).toBe(404);
  });
});

describe('DELETE /runners/:id', () => {
  let simulator: RunningGitLabSimulator;

  beforeAll(async () => {
    simulator = await startGitLabSimulator({
      projects: 30,
      jobsPerDay: 200,
      clock: () => TEST_NOW,
      now: TEST_NOW,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await simulator.close();
  });

  async function createGroupRunner(): Promise<number> {
    const created = await apiJson(simulator, '/user/runners', {
      method: 'POST',
      token: userToken('alice'),
      json: { runner_type: 'group_type', group_id: 1, tag_list: 'arm64' },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('deletes a runner for its owner', async () => {
    const id = await createGroupRunner();
    const deleted = await api(simulator, `/runners/${id}`, {
      method: 'DELETE',
      token: userToken('alice'),
    });
    expect(deleted.status).toBe(204);
    const after = await apiJson(simulator, `/runners/${id}`);
    expect(after.status).toBe(404);
  });

  it('rejects a user who does not own the runner with 403', async () => {
    const id = await createGroupRunner();
    const response = await api(simulator, `/runners/${id}`, {
      method: 'DELETE',
      token: userToken('bob'),
    });
    expect(response.status).toBe(403);
    const after = await apiJson(simulator, `/runners/${id}`);
    expect(after.status).toBe(200);
  });

  it('returns 404 for an unknown runner', async () => {
    const response = await api(simulator, '/runners/999999', {
      method: 'DELETE',
    });
    expect(response.status).toBe(404);
  });

  it('never reuses the ID of a deleted runner', async () => {
    const first = await createGroupRunner();
    await api(simulator, `/runners/${first}`, { method: 'DELETE' });
    const second = await createGroupRunner();
    expect(second).toBeGreaterThan(first);
  });
});
