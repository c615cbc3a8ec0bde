import { NotFoundError } from '@backstage/errors';
import {
  GitLabRequestError,
  type GitLabClient,
  type GitLabQuery,
} from '@runner-fleet/plugin-runner-fleet-node';
import type {
  GitLabApi,
  GitLabFileHead,
  GitLabJob,
  GitLabProject,
  GitLabRunner,
  GitLabRunnerManager,
  ListJobsOptions,
} from './gitlab';

function isStatus(error: unknown, ...statuses: number[]): boolean {
  return error instanceof GitLabRequestError && statuses.includes(error.status ?? 0);
}

function encode(projectIdOrPath: number | string): string {
  return encodeURIComponent(String(projectIdOrPath));
}

/**
 * Backs {@link GitLabApi} with the shared client of
 * `@runner-fleet/plugin-runner-fleet-node`, which brings the token from
 * `integrations.gitlab`, retries honouring `Retry-After` and pagination.
 */
export function createGitLabApi(client: GitLabClient): GitLabApi {
  async function getJson<T>(path: string, query?: GitLabQuery): Promise<T> {
    try {
      return (await client.request<T>({ path, query })).body;
    } catch (error) {
      if (isStatus(error, 404)) {
        throw new NotFoundError(`GitLab returned 404 for ${path}`);
      }
      throw error;
    }
  }

  async function listJobs(path: string, query: GitLabQuery, options?: ListJobsOptions): Promise<GitLabJob[]> {
    const limit = options?.limit ?? 100;
    const createdAfterMs = options?.createdAfter?.getTime();
    const jobs: GitLabJob[] = [];
    for await (const page of client.paginate<GitLabJob>(path, query)) {
      for (const job of page.items) {
        if (createdAfterMs !== undefined && job.created_at && Date.parse(job.created_at) < createdAfterMs) {
          return jobs;
        }
        jobs.push(job);
        if (jobs.length >= limit) return jobs;
      }
    }
    return jobs;
  }

  return {
    getRunner: runnerId => getJson<GitLabRunner>(`runners/${runnerId}`),
    listAllRunners: async filter => (await client.listAllRunners(filter)) as GitLabRunner[],
    async listRunnerManagers(runnerId) {
      try {
        return (await client.listRunnerManagers(runnerId)) as GitLabRunnerManager[];
      } catch (error) {
        if (isStatus(error, 404)) return [];
        throw error;
      }
    },
    listRunnerJobs: (runnerId, options) => {
      const status = Array.isArray(options?.status) ? options?.status[0] : options?.status;
      return listJobs(`runners/${runnerId}/jobs`, { status, orderBy: 'id', sort: 'desc' }, options);
    },
    async listPendingJobs(options) {
      try {
        return await listJobs('jobs', { scope: ['pending'] }, { limit: options?.limit ?? 1000 });
      } catch (error) {
        if (isStatus(error, 403, 404)) return undefined;
        throw error;
      }
    },
    getProject: projectIdOrPath => getJson<GitLabProject>(`projects/${encode(projectIdOrPath)}`),
    async *listProjects() {
      for await (const page of client.paginate<GitLabProject>('projects', {
        archived: false,
        orderBy: 'id',
        sort: 'asc',
      })) {
        yield page.items;
      }
    },
    listProjectJobs: (projectIdOrPath, options) => {
      let scope: string[] | undefined;
      if (Array.isArray(options?.status)) {
        scope = options.status;
      } else if (options?.status) {
        scope = [options.status];
      }
      return listJobs(`projects/${encode(projectIdOrPath)}/jobs`, { scope }, options);
    },
    async headFile(projectIdOrPath, path, ref): Promise<GitLabFileHead | undefined> {
      try {
        const response = await client.request<string>({
          method: 'HEAD',
          path: `projects/${encode(projectIdOrPath)}/repository/files/${encodeURIComponent(path)}`,
          query: { ref },
          responseType: 'text',
        });
        const blobId = response.headers['x-gitlab-blob-id'];
        if (!blobId) {
          throw new Error(
            `GitLab sent no X-Gitlab-Blob-Id header for ${path} in project ${projectIdOrPath}`,
          );
        }
        const size = Number(response.headers['x-gitlab-size']);
        return {
          blobId,
          commitId: response.headers['x-gitlab-commit-id'],
          lastCommitId: response.headers['x-gitlab-last-commit-id'],
          size: Number.isFinite(size) ? size : undefined,
        };
      } catch (error) {
        if (isStatus(error, 404)) return undefined;
        throw error;
      }
    },
    async readFile(projectIdOrPath, path, ref) {
      return (await client.getFile(projectIdOrPath, path, ref))?.content;
    },
    async readTemplate(name) {
      const key = name.replace(/\.gitlab-ci\.yml$/, '');
      try {
        return (await getJson<{ content?: string }>(`templates/gitlab_ci_ymls/${encodeURIComponent(key)}`)).content;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async listFiles(projectIdOrPath, ref) {
      const entries = await client.listAll<{ path: string; type: string }>(
        `projects/${encode(projectIdOrPath)}/repository/tree`,
        { ref, recursive: true },
      );
      return entries.filter(entry => entry.type === 'blob').map(entry => entry.path);
    },
    async lintProject(projectIdOrPath, ref) {
      const result = await getJson<{ valid: boolean; merged_yaml?: string; errors?: string[] }>(
        `projects/${encode(projectIdOrPath)}/ci/lint`,
        { contentRef: ref },
      );
      return { valid: result.valid, mergedYaml: result.merged_yaml, errors: result.errors ?? [] };
    },
  };
}
