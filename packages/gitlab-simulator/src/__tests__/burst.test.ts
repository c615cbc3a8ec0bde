import { startGitLabSimulator, RunningGitLabSimulator } from '../server';
import { apiJson, TEST_NOW } from './helpers';

describe('burst control endpoint', () => {
  let simulator: RunningGitLabSimulator;
  let now = TEST_NOW;

  beforeAll(async () => {
    simulator = await startGitLabSimulator({
      projects: 20,
      jobsPerDay: 300,
      now: TEST_NOW,
      clock: () => now,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await simulator.close();
  });

  const runningBurstJobs = async (pipelineId: number) => {
    const jobs = await apiJson(
      simulator,
      `/projects/1/pipelines/${pipelineId}/jobs?scope[]=running&per_page=100`,
    );
    return jobs.body as Array<{
      name: string;
      runner: { description: string };
    }>;
  };

  it('starts 100 jobs within a minute on the default fleet', async () => {
    const response = await fetch(`${simulator.url}/-/simulator/burst`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(response.status).toBe(201);
    const burst = await response.json();
    expect(burst.count).toBe(100);
    expect(burst.project_id).toBe(1);

    expect(await runningBurstJobs(burst.pipeline_id)).toHaveLength(0);
    now = TEST_NOW + 30_000;
    const halfway = await runningBurstJobs(burst.pipeline_id);
    expect(halfway.length).toBeGreaterThan(20);
    expect(halfway.length).toBeLessThan(80);
    now = TEST_NOW + 60_000;
    const all = await runningBurstJobs(burst.pipeline_id);
    expect(all).toHaveLength(100);
    expect(
      all.every(
        job => job.runner.description === 'k8s-default @ cluster-default-v3',
      ),
    ).toBe(true);
    expect(all.map(job => job.name)).toContain('mc-production 100/100');

    const runnerJobs = await apiJson(
      simulator,
      '/runners/21/jobs?status=running&per_page=100',
    );
    expect(
      runnerJobs.body.filter(
        (job: any) => job.pipeline.id === burst.pipeline_id,
      ).length,
    ).toBe(25);

    now = TEST_NOW + 30 * 60_000;
    expect(await runningBurstJobs(burst.pipeline_id)).toHaveLength(0);
  });

  it('accepts a custom count and ramp', async () => {
    now = TEST_NOW + 3600_000;
    const response = await fetch(`${simulator.url}/-/simulator/burst`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 10, ramp_seconds: 5 }),
    });
    const burst = await response.json();
    now += 8_000;
    expect(await runningBurstJobs(burst.pipeline_id)).toHaveLength(10);
  });

  it('rejects invalid burst parameters', async () => {
    const response = await fetch(`${simulator.url}/-/simulator/burst`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 0 }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(
      /burst count is 0; use an integer from 1 to 1000/,
    );
  });
});
