import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createHash } from 'node:crypto';
import { startGitLabSimulator, RunningGitLabSimulator } from '../server';
import { findCorpusDir } from '../seed/corpus';
import { userToken } from '../seed/users';
import { api, apiJson, parseLinks, TEST_NOW } from './helpers';

describe('GitLab simulator API', () => {
  let simulator: RunningGitLabSimulator;

  beforeAll(async () => {
    simulator = await startGitLabSimulator({
      projects: 80,
      jobsPerDay: 2000,
      clock: () => TEST_NOW,
      now: TEST_NOW,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await simulator.close();
  });

  describe('authentication', () => {
    it('rejects a missing token with 401', async () => {
      const response = await apiJson(simulator, '/version', { token: null });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: '401 Unauthorized' });
    });

    it('rejects an unknown token with 401', async () => {
      const response = await apiJson(simulator, '/user', {
        token: 'glpat-wrong-token',
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: '401 Unauthorized' });
    });

    it('accepts a Bearer token', async () => {
      const response = await fetch(`${simulator.url}/api/v4/user`, {
        headers: { Authorization: `Bearer ${simulator.token}` },
      });
      expect(response.status).toBe(200);
      const user = await response.json();
      expect(user.username).toBe('admin');
      expect(user.is_admin).toBe(true);
    });

    it('returns the token user for another seeded user', async () => {
      const response = await apiJson(simulator, '/user', {
        token: userToken('alice'),
      });
      expect(response.body.username).toBe('alice');
      expect(response.body.is_admin).toBe(false);
    });

    it('forbids /runners/all for non-administrators', async () => {
      const response = await apiJson(simulator, '/runners/all', {
        token: userToken('alice'),
      });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: '403 Forbidden' });
    });
  });

  describe('errors', () => {
    it('returns GitLab-style 404 bodies', async () => {
      expect((await apiJson(simulator, '/projects/99999')).body).toEqual({
        message: '404 Project Not Found',
      });
      expect(
        (await apiJson(simulator, '/projects/nobody%2Fnothing')).body,
      ).toEqual({ message: '404 Project Not Found' });
      expect((await apiJson(simulator, '/runners/99999')).body).toEqual({
        message: '404 Runner Not Found',
      });
      expect((await apiJson(simulator, '/no/such/endpoint')).body).toEqual({
        error: '404 Not Found',
      });
    });

    it('returns 400 with an error for invalid parameters', async () => {
      const response = await apiJson(simulator, '/runners/all?page=abc');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'page is invalid' });
      const type = await apiJson(simulator, '/runners/all?type=cloud_type');
      expect(type.status).toBe(400);
      expect(type.body.error).toContain('type');
    });

    it('returns 400 for a malformed path encoding', async () => {
      const response = await apiJson(
        simulator,
        '/projects/1/repository/files/%ZZ/raw',
      );
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/not valid URL encoding/);
    });

    it('returns 400 for a body that is not JSON', async () => {
      const response = await apiJson(simulator, '/user/runners', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"runner_type":',
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/not valid JSON/);
    });
  });

  describe('pagination', () => {
    it('sends offset pagination headers and links', async () => {
      const response = await apiJson(
        simulator,
        '/runners/all?per_page=10&page=2',
      );
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(10);
      expect(response.headers.get('x-page')).toBe('2');
      expect(response.headers.get('x-per-page')).toBe('10');
      expect(response.headers.get('x-next-page')).toBe('3');
      expect(response.headers.get('x-prev-page')).toBe('1');
      expect(response.headers.get('x-total')).toBe('37');
      expect(response.headers.get('x-total-pages')).toBe('4');
      const links = parseLinks(response.headers.get('link'));
      expect(Object.keys(links).sort()).toEqual([
        'first',
        'last',
        'next',
        'prev',
      ]);
      expect(new URL(links.next).searchParams.get('page')).toBe('3');
      expect(new URL(links.last).searchParams.get('page')).toBe('4');
    });

    it('leaves x-next-page empty on the last page', async () => {
      const response = await apiJson(
        simulator,
        '/runners/all?per_page=10&page=4',
      );
      expect(response.body).toHaveLength(7);
      expect(response.headers.get('x-next-page')).toBe('');
      expect(parseLinks(response.headers.get('link')).next).toBeUndefined();
    });

    it('defaults to 20 and caps per_page at 100', async () => {
      expect((await apiJson(simulator, '/runners/all')).body).toHaveLength(20);
      const capped = await apiJson(simulator, '/projects?per_page=500');
      expect(capped.headers.get('x-per-page')).toBe('100');
      expect(capped.body).toHaveLength(80);
    });

    it('pages projects with keyset pagination', async () => {
      const ids: number[] = [];
      let next:
        | string
        | undefined = `${simulator.url}/api/v4/projects?pagination=keyset&order_by=id&sort=asc&per_page=25&simple=true`;
      let pages = 0;
      while (next) {
        const response: Response = await fetch(next, {
          headers: { 'PRIVATE-TOKEN': simulator.token },
        });
        expect(response.headers.get('x-total')).toBeNull();
        const body = (await response.json()) as Array<{ id: number }>;
        ids.push(...body.map(project => project.id));
        next = parseLinks(response.headers.get('link')).next;
        pages += 1;
        expect(pages).toBeLessThan(10);
      }
      expect(pages).toBe(4);
      expect(ids).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
    });

    it('rejects keyset pagination with another order', async () => {
      const response = await apiJson(
        simulator,
        '/projects?pagination=keyset&order_by=name',
      );
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/order_by=id/);
    });
  });

  describe('runners', () => {
    it('lists the instance runners of the example instance', async () => {
      const all = await apiJson(simulator, '/runners/all?per_page=100');
      const descriptions: string[] = all.body.map(
        (runner: any) => runner.description,
      );
      expect(
        descriptions.filter(text => text.startsWith('docker-machine-')),
      ).toHaveLength(20);
      expect(
        descriptions.filter(
          text => text === 'k8s-default @ cluster-default-v3',
        ),
      ).toHaveLength(4);
      expect(
        descriptions.filter(
          text => text === 'k8s-default @ cluster-default-v2',
        ),
      ).toHaveLength(4);
      expect(descriptions).toContain('qa k8s-default @ cluster-qa');
      expect(
        all.body.every((runner: any) => runner.runner_type === 'instance_type'),
      ).toBe(true);
    });

    it('filters by status, paused and tags', async () => {
      const stale = await apiJson(simulator, '/runners/all?status=stale');
      expect(stale.body).toHaveLength(3);
      const offline = await apiJson(simulator, '/runners/all?status=offline');
      expect(offline.body).toHaveLength(5);
      const paused = await apiJson(simulator, '/runners/all?paused=true');
      expect(paused.body.map((runner: any) => runner.description)).toEqual(
        Array(4).fill('k8s-default @ cluster-default-v2'),
      );
      const defaultTag = await apiJson(
        simulator,
        '/runners/all?tag_list=k8s-default&per_page=100',
      );
      expect(defaultTag.body).toHaveLength(10);
      const arm = await apiJson(
        simulator,
        '/runners/all?tag_list[]=arm64&tag_list[]=aarch64',
      );
      expect(arm.body).toHaveLength(2);
    });

    it('returns runner details with empty version fields', async () => {
      const runner = await apiJson(simulator, '/runners/21');
      expect(runner.body.description).toBe('k8s-default @ cluster-default-v3');
      expect(runner.body.version).toBeNull();
      expect(runner.body.revision).toBeNull();
      expect(runner.body.platform).toBeNull();
      expect(runner.body.architecture).toBeNull();
      expect(runner.body.tag_list).toEqual(['k8s-default']);
      expect(runner.body.run_untagged).toBe(true);
      expect(runner.body.status).toBe('online');
      expect(runner.body.projects).toEqual([]);
    });

    it('lists runner managers with versions', async () => {
      const managers = await apiJson(simulator, '/runners/21/managers');
      expect(managers.body).toHaveLength(3);
      for (const manager of managers.body) {
        expect(manager.system_id).toMatch(/^r_[0-9a-f]{12}$/);
        expect(manager.version).toBe('18.6.0');
        expect(manager.architecture).toBe('amd64');
        expect(manager.status).toBe('online');
      }
      const all = await apiJson(simulator, '/runners/all?tag_list=arm64');
      const armManagers = await apiJson(
        simulator,
        `/runners/${all.body[0].id}/managers`,
      );
      expect(
        armManagers.body.map((manager: any) => manager.architecture),
      ).toEqual(['arm64', 'arm64']);
    });

    it('lists runner jobs with status filter and sort', async () => {
      const desc = await apiJson(simulator, '/runners/21/jobs?per_page=50');
      expect(desc.body.length).toBeGreaterThan(0);
      const ids = desc.body.map((job: any) => job.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(desc.body.every((job: any) => job.runner.id === 21)).toBe(true);
      const asc = await apiJson(
        simulator,
        '/runners/21/jobs?order_by=id&sort=asc&per_page=5',
      );
      const ascIds = asc.body.map((job: any) => job.id);
      expect(ascIds).toEqual([...ascIds].sort((a, b) => a - b));
      const failed = await apiJson(
        simulator,
        '/runners/21/jobs?status=failed&per_page=100',
      );
      expect(
        failed.body.every(
          (job: any) =>
            job.status === 'failed' && typeof job.failure_reason === 'string',
        ),
      ).toBe(true);
    });
  });

  describe('project and group runners', () => {
    it('lists the runners a project can use', async () => {
      const response = await apiJson(
        simulator,
        '/projects/1/runners?per_page=100',
        { token: userToken('alice') },
      );
      expect(response.status).toBe(200);
      expect(response.body.length).toBeGreaterThanOrEqual(37);
      const tagged = await apiJson(
        simulator,
        '/projects/1/runners?tag_list=cvmfs',
        { token: userToken('alice') },
      );
      expect(tagged.body.map((runner: any) => runner.description)).toEqual([
        'k8s-cvmfs @ cluster-cvmfs',
        'k8s-cvmfs @ cluster-cvmfs',
      ]);
    });

    it('forbids group runners to non-owners', async () => {
      expect(
        (
          await apiJson(simulator, '/groups/physics/runners', {
            token: userToken('bob'),
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await apiJson(simulator, '/groups/physics/runners', {
            token: userToken('alice'),
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('user runners', () => {
    it('creates a runner that then appears as never contacted', async () => {
      const created = await apiJson(simulator, '/user/runners', {
        method: 'POST',
        json: {
          runner_type: 'instance_type',
          description: 'k8s-gpu @ cluster-gpu',
          tag_list: ['gpu'],
          run_untagged: false,
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^glrt-[A-Za-z0-9_-]{20}$/);
      expect(created.body.token_expires_at).toBeNull();
      const listed = await apiJson(
        simulator,
        '/runners/all?status=never_contacted',
      );
      expect(listed.body.map((runner: any) => runner.id)).toContain(
        created.body.id,
      );
      const details = await apiJson(simulator, `/runners/${created.body.id}`);
      expect(details.body.online).toBeNull();
      expect(details.body.tag_list).toEqual(['gpu']);
      expect(details.body.run_untagged).toBe(false);
    });

    it('rejects an instance runner from a non-administrator', async () => {
      const response = await apiJson(simulator, '/user/runners', {
        method: 'POST',
        token: userToken('alice'),
        json: { runner_type: 'instance_type' },
      });
      expect(response.status).toBe(403);
    });

    it('lets a group owner create a group runner', async () => {
      const response = await apiJson(simulator, '/user/runners', {
        method: 'POST',
        token: userToken('alice'),
        json: {
          runner_type: 'group_type',
          group_id: 1,
          tag_list: 'physics,shell',
        },
      });
      expect(response.status).toBe(201);
      const mine = await apiJson(simulator, '/runners', {
        token: userToken('alice'),
      });
      expect(mine.body.map((runner: any) => runner.id)).toContain(
        response.body.id,
      );
    });

    it('requires group_id for a group runner', async () => {
      const response = await apiJson(simulator, '/user/runners', {
        method: 'POST',
        json: { runner_type: 'group_type' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'group_id is missing' });
    });
  });

  describe('projects and groups', () => {
    it('finds a project by URL-encoded path', async () => {
      const project = await apiJson(
        simulator,
        '/projects/physics%2Fmc-production',
      );
      expect(project.body.id).toBe(1);
      expect(project.body.path_with_namespace).toBe('physics/mc-production');
      expect(project.body.default_branch).toBe('main');
    });

    it('filters by search, membership and owned', async () => {
      const search = await apiJson(simulator, '/projects?search=mc-production');
      expect(search.body.map((project: any) => project.id)).toEqual([1]);
      const owned = await apiJson(
        simulator,
        '/projects?owned=true&per_page=100',
        { token: userToken('alice') },
      );
      expect(owned.body.length).toBeGreaterThan(0);
      expect(
        owned.body.every(
          (project: any) => project.namespace.path === 'physics',
        ),
      ).toBe(true);
      const member = await apiJson(
        simulator,
        '/projects?membership=true&per_page=100',
        { token: userToken('frank') },
      );
      expect(
        new Set(member.body.map((project: any) => project.namespace.path)),
      ).toEqual(new Set(['physics', 'ml']));
    });

    it('returns simple project fields', async () => {
      const simple = await apiJson(
        simulator,
        '/projects?simple=true&per_page=1',
      );
      expect(simple.body[0].ci_config_path).toBeUndefined();
      expect(simple.body[0].path_with_namespace).toBeDefined();
    });

    it('returns inherited membership with access levels', async () => {
      const owner = await apiJson(simulator, '/projects/1/members/all/2');
      expect(owner.body.username).toBe('alice');
      expect(owner.body.access_level).toBe(50);
      const developer = await apiJson(
        simulator,
        '/groups/physics/members/all/7',
      );
      expect(developer.body.access_level).toBe(30);
      const none = await apiJson(simulator, '/projects/1/members/all/3');
      expect(none.status).toBe(404);
      expect(none.body).toEqual({ message: '404 Member Not Found' });
    });

    it('lists the five research groups and platform', async () => {
      const groups = await apiJson(simulator, '/groups');
      expect(groups.body.map((group: any) => group.path).sort()).toEqual([
        'accelerator-controls',
        'hardware',
        'ml',
        'physics',
        'platform',
        'software',
      ]);
      const hardware = await apiJson(simulator, '/groups/hardware');
      expect(
        hardware.body.projects.every(
          (project: any) => project.namespace.path === 'hardware',
        ),
      ).toBe(true);
    });
  });

  describe('jobs', () => {
    it('filters project jobs by scope', async () => {
      const all = await apiJson(simulator, '/projects/1/jobs?per_page=100');
      expect(all.body.length).toBeGreaterThan(0);
      const job = all.body[0];
      for (const field of [
        'id',
        'status',
        'stage',
        'name',
        'ref',
        'tag_list',
        'created_at',
        'started_at',
        'finished_at',
        'duration',
        'queued_duration',
        'runner',
        'runner_manager',
        'pipeline',
        'web_url',
        'user',
      ]) {
        expect(job).toHaveProperty(field);
      }
      const scoped = await apiJson(
        simulator,
        '/projects/1/jobs?scope[]=success&scope[]=failed&per_page=100',
      );
      expect(
        scoped.body.every((candidate: any) =>
          ['success', 'failed'].includes(candidate.status),
        ),
      ).toBe(true);
      const invalid = await apiJson(
        simulator,
        '/projects/1/jobs?scope=finished',
      );
      expect(invalid.status).toBe(400);
    });

    it('lists instance jobs for administrators', async () => {
      const running = await apiJson(
        simulator,
        '/jobs?scope[]=running&per_page=100',
      );
      expect(running.status).toBe(200);
      expect(running.body.length).toBeGreaterThan(0);
      expect(
        running.body.every((job: any) => job.status === 'running'),
      ).toBe(true);
      const projects = new Set(
        running.body.map((job: any) => job.pipeline.project_id),
      );
      expect(projects.size).toBeGreaterThan(1);

      const denied = await apiJson(simulator, '/jobs?scope[]=running', {
        token: userToken('alice'),
      });
      expect(denied.status).toBe(403);
    });

    it('records failure reasons in the history', async () => {
      const reasons = new Set<string>();
      for (const runner of simulator.instance.runners) {
        for (const job of simulator.instance.store.runnerJobs(runner.id)) {
          if (job.failureReason) reasons.add(job.failureReason);
        }
      }
      for (const job of simulator.instance.store.jobs) {
        if (job.failureReason) reasons.add(job.failureReason);
      }
      expect(reasons).toEqual(
        new Set([
          'script_failure',
          'runner_system_failure',
          'stuck_or_timeout_failure',
          'job_execution_timeout',
        ]),
      );
    });

    it('moves jobs from Docker Machine to Kubernetes over time', () => {
      const { store } = simulator.instance;
      const dayMs = 24 * 3600 * 1000;
      const shareOnDockerMachine = (from: number, to: number) => {
        const jobs = store.jobs.filter(
          job => job.runner && job.createdAt >= from && job.createdAt < to,
        );
        return (
          jobs.filter(job => job.runner!.fleet === 'fleet-docker-machine')
            .length / jobs.length
        );
      };
      const early = shareOnDockerMachine(
        TEST_NOW - 14 * dayMs,
        TEST_NOW - 11 * dayMs,
      );
      const late = shareOnDockerMachine(TEST_NOW - 3 * dayMs, TEST_NOW);
      expect(early).toBeGreaterThan(late + 0.15);
    });

    it('has running and pending jobs at now', () => {
      const { store } = simulator.instance;
      const statuses = store.jobs
        .filter(job => job.createdAt <= TEST_NOW)
        .map(job => require('../jobs/store').jobStatusAt(job, TEST_NOW));
      expect(statuses).toContain('running');
      expect(statuses).toContain('pending');
    });

    it('lists pipelines with derived status', async () => {
      const pipelines = await apiJson(
        simulator,
        '/projects/1/pipelines?per_page=5',
      );
      expect(pipelines.body.length).toBeGreaterThan(0);
      expect(pipelines.body[0]).toEqual(
        expect.objectContaining({
          project_id: 1,
          ref: expect.any(String),
          status: expect.any(String),
        }),
      );
    });
  });

  describe('repository files', () => {
    it('returns the same content raw and as base64 JSON', async () => {
      const raw = await api(
        simulator,
        '/projects/1/repository/files/.gitlab-ci.yml/raw?ref=main',
      );
      expect(raw.status).toBe(200);
      const rawText = await raw.text();
      expect(rawText).toContain('mc-production:');
      const json = await apiJson(
        simulator,
        '/projects/1/repository/files/.gitlab-ci.yml?ref=main',
      );
      expect(Buffer.from(json.body.content, 'base64').toString('utf8')).toBe(
        rawText,
      );
      expect(json.body.encoding).toBe('base64');
      expect(json.body.size).toBe(Buffer.byteLength(rawText));
      const gitBlobId = createHash('sha1')
        .update(`blob ${Buffer.byteLength(rawText)}\0`)
        .update(rawText)
        .digest('hex');
      expect(json.body.blob_id).toBe(gitBlobId);
      expect(json.body.content_sha256).toBe(
        createHash('sha256').update(rawText).digest('hex'),
      );
    });

    it('answers HEAD with file headers', async () => {
      const response = await api(
        simulator,
        '/projects/1/repository/files/.gitlab-ci.yml?ref=main',
        { method: 'HEAD' },
      );
      expect(response.status).toBe(200);
      const json = await apiJson(
        simulator,
        '/projects/1/repository/files/.gitlab-ci.yml?ref=main',
      );
      expect(response.headers.get('x-gitlab-blob-id')).toBe(json.body.blob_id);
      expect(response.headers.get('x-gitlab-last-commit-id')).toBe(
        json.body.last_commit_id,
      );
      expect(response.headers.get('x-gitlab-size')).toBe(
        String(json.body.size),
      );
    });

    it('serves corpus files unchanged', async () => {
      const corpusDir = findCorpusDir()!;
      const projects = await apiJson(
        simulator,
        '/projects?search=acts&per_page=100',
      );
      const acts = projects.body.find(
        (project: any) =>
          project.description === 'CI configuration from acts-project/acts',
      );
      expect(acts).toBeDefined();
      const raw = await api(
        simulator,
        `/projects/${acts.id}/repository/files/.gitlab-ci.yml/raw`,
      );
      expect(await raw.text()).toBe(
        fs.readFileSync(
          path.join(corpusDir, 'acts-project__acts', '.gitlab-ci.yml'),
          'utf8',
        ),
      );
    });

    it('reports missing ref, file and tree', async () => {
      const noRef = await apiJson(
        simulator,
        '/projects/1/repository/files/.gitlab-ci.yml',
      );
      expect(noRef.status).toBe(400);
      expect(noRef.body).toEqual({ error: 'ref is missing' });
      const noFile = await apiJson(
        simulator,
        '/projects/1/repository/files/nothing.yml?ref=main',
      );
      expect(noFile.body).toEqual({ message: '404 File Not Found' });
      const noBranch = await apiJson(
        simulator,
        '/projects/1/repository/files/.gitlab-ci.yml?ref=nope',
      );
      expect(noBranch.body).toEqual({ message: '404 Commit Not Found' });
      const noTree = await apiJson(
        simulator,
        '/projects/1/repository/tree?path=nowhere',
      );
      expect(noTree.body).toEqual({ message: '404 Tree Not Found' });
    });

    it('lists the repository tree', async () => {
      const tree = await apiJson(simulator, '/projects/1/repository/tree');
      expect(tree.body.map((entry: any) => entry.path)).toEqual([
        '.gitlab-ci.yml',
        'README.md',
      ]);
      expect(tree.body[0]).toEqual(
        expect.objectContaining({
          type: 'blob',
          mode: '100644',
          name: '.gitlab-ci.yml',
        }),
      );
    });
  });

  describe('branches, commits and merge requests', () => {
    it('commits to a new branch and reads the change back', async () => {
      const branch = await apiJson(
        simulator,
        '/projects/2/repository/branches',
        {
          method: 'POST',
          json: { branch: 'runner-fleet/migrate', ref: 'main' },
        },
      );
      expect(branch.status).toBe(201);
      expect(branch.body.name).toBe('runner-fleet/migrate');

      const existing = await apiJson(
        simulator,
        '/projects/2/repository/branches',
        {
          method: 'POST',
          json: { branch: 'runner-fleet/migrate', ref: 'main' },
        },
      );
      expect(existing.status).toBe(400);
      expect(existing.body).toEqual({ message: 'Branch already exists' });

      const newCi = 'build:\n  script: [make]\n';
      const commit = await apiJson(
        simulator,
        '/projects/2/repository/commits',
        {
          method: 'POST',
          json: {
            branch: 'runner-fleet/migrate',
            commit_message: 'Move jobs to Kubernetes',
            actions: [
              { action: 'update', file_path: '.gitlab-ci.yml', content: newCi },
              {
                action: 'create',
                file_path: 'ci/extra.yml',
                content: Buffer.from('x: 1\n').toString('base64'),
                encoding: 'base64',
              },
              {
                action: 'move',
                previous_path: 'README.md',
                file_path: 'docs/README.md',
              },
            ],
          },
        },
      );
      expect(commit.status).toBe(201);
      expect(commit.body.title).toBe('Move jobs to Kubernetes');

      const onBranch = await api(
        simulator,
        '/projects/2/repository/files/.gitlab-ci.yml/raw?ref=runner-fleet%2Fmigrate',
      );
      expect(await onBranch.text()).toBe(newCi);
      const extra = await api(
        simulator,
        '/projects/2/repository/files/ci%2Fextra.yml/raw?ref=runner-fleet/migrate',
      );
      expect(await extra.text()).toBe('x: 1\n');
      const moved = await api(
        simulator,
        '/projects/2/repository/files/docs%2FREADME.md/raw?ref=runner-fleet/migrate',
      );
      expect(moved.status).toBe(200);
      const onMain = await api(
        simulator,
        '/projects/2/repository/files/.gitlab-ci.yml/raw?ref=main',
      );
      expect(await onMain.text()).not.toBe(newCi);
      const byCommit = await api(
        simulator,
        `/projects/2/repository/files/.gitlab-ci.yml/raw?ref=${commit.body.id}`,
      );
      expect(await byCommit.text()).toBe(newCi);
      const shown = await apiJson(
        simulator,
        '/projects/2/repository/branches/runner-fleet%2Fmigrate',
      );
      expect(shown.body.commit.id).toBe(commit.body.id);
    });

    it('rejects invalid commit actions', async () => {
      const duplicate = await apiJson(
        simulator,
        '/projects/2/repository/commits',
        {
          method: 'POST',
          json: {
            branch: 'main',
            commit_message: 'x',
            actions: [
              { action: 'create', file_path: '.gitlab-ci.yml', content: 'a' },
            ],
          },
        },
      );
      expect(duplicate.status).toBe(400);
      expect(duplicate.body.message).toMatch(/already exists/);
      const missingBranch = await apiJson(
        simulator,
        '/projects/2/repository/commits',
        {
          method: 'POST',
          json: {
            branch: 'new-branch',
            commit_message: 'x',
            actions: [{ action: 'create', file_path: 'a.txt', content: 'a' }],
          },
        },
      );
      expect(missingBranch.status).toBe(400);
      expect(missingBranch.body.message).toMatch(/on a branch/);
      const badAction = await apiJson(
        simulator,
        '/projects/2/repository/commits',
        {
          method: 'POST',
          json: {
            branch: 'main',
            commit_message: 'x',
            actions: [{ action: 'rename', file_path: 'a.txt' }],
          },
        },
      );
      expect(badAction.status).toBe(400);
      expect(badAction.body.error).toMatch(/actions\[0\]\[action\]/);
    });

    it('creates a commit from start_branch on a new branch', async () => {
      const commit = await apiJson(
        simulator,
        '/projects/3/repository/commits',
        {
          method: 'POST',
          json: {
            branch: 'feature/from-start',
            start_branch: 'main',
            commit_message: 'Add file',
            actions: [
              { action: 'create', file_path: 'new.txt', content: 'hello' },
            ],
          },
        },
      );
      expect(commit.status).toBe(201);
      const raw = await api(
        simulator,
        '/projects/3/repository/files/new.txt/raw?ref=feature/from-start',
      );
      expect(await raw.text()).toBe('hello');
    });

    it('creates and lists merge requests', async () => {
      await apiJson(simulator, '/projects/4/repository/branches', {
        method: 'POST',
        json: { branch: 'mr-source', ref: 'main' },
      });
      const created = await apiJson(simulator, '/projects/4/merge_requests', {
        method: 'POST',
        json: {
          source_branch: 'mr-source',
          target_branch: 'main',
          title: 'Migrate to Kubernetes',
          assignee_id: 2,
          reviewer_ids: [3],
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.iid).toBe(1);
      expect(created.body.state).toBe('opened');
      expect(created.body.assignee.username).toBe('alice');
      expect(created.body.reviewers.map((user: any) => user.username)).toEqual([
        'bob',
      ]);
      expect(created.body.web_url).toMatch(/\/-\/merge_requests\/1$/);

      const duplicate = await apiJson(simulator, '/projects/4/merge_requests', {
        method: 'POST',
        json: {
          source_branch: 'mr-source',
          target_branch: 'main',
          title: 'Again',
        },
      });
      expect(duplicate.status).toBe(409);

      const listed = await apiJson(
        simulator,
        '/projects/4/merge_requests?source_branch=mr-source',
      );
      expect(listed.body.map((mr: any) => mr.iid)).toEqual([1]);
      const shown = await apiJson(simulator, '/projects/4/merge_requests/1');
      expect(shown.body.title).toBe('Migrate to Kubernetes');
      const missingSource = await apiJson(
        simulator,
        '/projects/4/merge_requests',
        {
          method: 'POST',
          json: { source_branch: 'nope', target_branch: 'main', title: 'x' },
        },
      );
      expect(missingSource.status).toBe(400);
    });

    it('forbids commits by users without developer access', async () => {
      const response = await apiJson(
        simulator,
        '/projects/1/repository/branches',
        {
          method: 'POST',
          token: userToken('bob'),
          json: { branch: 'bob-branch', ref: 'main' },
        },
      );
      expect(response.status).toBe(403);
    });
  });

  describe('CI lint', () => {
    it('validates content and returns merged YAML', async () => {
      const valid = await apiJson(simulator, '/projects/1/ci/lint', {
        method: 'POST',
        json: {
          content:
            '.base: &base\n  image: alpine\nbuild:\n  <<: *base\n  script: [make]\n',
          include_jobs: true,
        },
      });
      expect(valid.body.valid).toBe(true);
      expect(valid.body.errors).toEqual([]);
      expect(valid.body.merged_yaml).toContain('image: alpine');
      expect(valid.body.jobs.map((job: any) => job.name)).toEqual(['build']);
    });

    it('reports YAML and structure errors', async () => {
      const syntax = await apiJson(simulator, '/projects/1/ci/lint', {
        method: 'POST',
        json: { content: 'build: [unclosed' },
      });
      expect(syntax.body.valid).toBe(false);
      expect(syntax.body.errors.length).toBeGreaterThan(0);
      const stage = await apiJson(simulator, '/projects/1/ci/lint', {
        method: 'POST',
        json: { content: 'build:\n  stage: compile\n  script: [make]\n' },
      });
      expect(stage.body.errors).toEqual([
        expect.stringContaining('chosen stage compile does not exist'),
      ]);
      const noScript = await apiJson(simulator, '/projects/1/ci/lint', {
        method: 'POST',
        json: { content: 'build:\n  image: alpine\n' },
      });
      expect(noScript.body.errors[0]).toMatch(/script/);
    });

    it('merges local includes from the repository', async () => {
      await apiJson(simulator, '/projects/5/repository/commits', {
        method: 'POST',
        json: {
          branch: 'main',
          commit_message: 'Add template',
          actions: [
            {
              action: 'create',
              file_path: 'ci/template.yml',
              content: 'test:\n  stage: test\n  script: [pytest]\n',
            },
          ],
        },
      });
      const merged = await apiJson(simulator, '/projects/5/ci/lint', {
        method: 'POST',
        json: {
          content:
            'include:\n  - local: ci/template.yml\nbuild:\n  script: [make]\n  stage: build\n',
          include_jobs: true,
        },
      });
      expect(merged.body.valid).toBe(true);
      expect(merged.body.jobs.map((job: any) => job.name).sort()).toEqual([
        'build',
        'test',
      ]);
      expect(merged.body.includes[0]).toEqual(
        expect.objectContaining({ type: 'local', location: 'ci/template.yml' }),
      );
      const missing = await apiJson(simulator, '/projects/5/ci/lint', {
        method: 'POST',
        json: { content: 'include: missing.yml\nbuild:\n  script: [make]\n' },
      });
      expect(missing.body.valid).toBe(false);
      expect(missing.body.errors).toContain(
        'Local file `missing.yml` does not exist!',
      );
    });

    it('lints a stored corpus configuration with includes', async () => {
      const projects = await apiJson(simulator, '/projects?search=alpaka');
      const alpaka = projects.body.find(
        (project: any) =>
          project.description === 'CI configuration from alpaka-group/alpaka',
      );
      expect(alpaka).toBeDefined();
      const lint = await apiJson(simulator, `/projects/${alpaka.id}/ci/lint`);
      expect(
        lint.body.includes.some((include: any) =>
          include.location.startsWith('script/gitlabci/'),
        ),
      ).toBe(true);
    });
  });

  describe('CI/CD variables', () => {
    it('returns masked values to maintainers and never logs them', async () => {
      const logged: string[] = [];
      const logStream = new PassThrough();
      logStream.on('data', chunk => logged.push(String(chunk)));
      const chatty = await startGitLabSimulator({
        projects: 3,
        jobsPerDay: 10,
        logLevel: 'debug',
        logStream,
        clock: () => TEST_NOW,
        now: TEST_NOW,
      });
      try {
        const secret = 'c2VjcmV0LXZhbHVlLTEyMzQ1';
        const created = await apiJson(chatty, '/projects/1/variables', {
          method: 'POST',
          json: {
            key: 'DEPLOY_TOKEN',
            value: secret,
            masked: true,
            protected: true,
          },
        });
        expect(created.status).toBe(201);
        expect(created.body.value).toBe(secret);
        const listed = await apiJson(chatty, '/projects/1/variables');
        expect(listed.body[0]).toEqual(
          expect.objectContaining({
            key: 'DEPLOY_TOKEN',
            value: secret,
            masked: true,
          }),
        );
        const tooShort = await apiJson(chatty, '/projects/1/variables', {
          method: 'POST',
          json: { key: 'SHORT', value: 'abc', masked: true },
        });
        expect(tooShort.status).toBe(400);
        expect(JSON.stringify(tooShort.body)).not.toContain('abc');
        expect(logged.join('\n')).toContain(
          'Created CI/CD variable DEPLOY_TOKEN',
        );
        expect(logged.join('\n')).not.toContain(secret);
        expect(logged.join('\n')).not.toContain(chatty.token);
      } finally {
        await chatty.close();
      }
    });

    it('rejects invalid and duplicate keys', async () => {
      const invalid = await apiJson(simulator, '/projects/2/variables', {
        method: 'POST',
        json: { key: 'BAD-KEY', value: 'x' },
      });
      expect(invalid.status).toBe(400);
      await apiJson(simulator, '/projects/2/variables', {
        method: 'POST',
        json: { key: 'REGION', value: 'eu' },
      });
      const duplicate = await apiJson(simulator, '/projects/2/variables', {
        method: 'POST',
        json: { key: 'REGION', value: 'us' },
      });
      expect(duplicate.status).toBe(400);
      expect(duplicate.body.message.key[0]).toMatch(/already been taken/);
    });
  });

  describe('stats', () => {
    it('counts requests per route and resets', async () => {
      await fetch(`${simulator.url}/-/simulator/reset-stats`, {
        method: 'POST',
      });
      await api(simulator, '/runners/21');
      await api(simulator, '/runners/22');
      await api(simulator, '/projects/1');
      const stats = await (
        await fetch(`${simulator.url}/-/simulator/stats`)
      ).json();
      expect(stats.total).toBe(3);
      expect(stats.routes['GET /api/v4/runners/:runner_id']).toBe(2);
      expect(stats.routes['GET /api/v4/projects/:id']).toBe(1);
    });
  });
});
