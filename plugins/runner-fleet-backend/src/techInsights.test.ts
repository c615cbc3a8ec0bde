import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRunnerFleetMigrationFactRetriever } from './techInsights';

describe('runnerFleetMigrationFactRetriever', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{ page: string; auth?: string }> = [];

  beforeAll(async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({
      projectPath: `physics/project-${i}`,
      entityRef: i === 500 ? 'component:default/project-0' : `component:default/project-${i}`,
      group: 'physics',
      score: i === 500 ? 10 : 90,
      level: i === 500 ? 'blocked' : 'ready',
      phase: i === 500 ? 'legacy' : 'migrated',
      blockers: i === 500 ? 2 : 0,
      warnings: 0,
      infos: 0,
      configErrors: 0,
    }));
    const app = express();
    app.get('/api/runner-fleet/projects', (req, res) => {
      requests.push({ page: String(req.query.page), auth: req.headers.authorization });
      const page = Number(req.query.page);
      const size = Number(req.query.pageSize);
      res.json({ items: items.slice((page - 1) * size, page * size), totalCount: items.length, page, pageSize: size });
    });
    server = await new Promise(resolve => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runner-fleet`;
  });

  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

  it('reads every page and keeps the lowest score per entity', async () => {
    const retriever = createRunnerFleetMigrationFactRetriever();
    const facts = await retriever.handler({
      config: new ConfigReader({}),
      discovery: mockServices.discovery.mock({ getBaseUrl: async () => baseUrl }),
      logger: mockServices.logger.mock(),
      auth: mockServices.auth(),
      urlReader: mockServices.urlReader.mock(),
    });
    expect(requests.map(r => r.page)).toEqual(['1', '2']);
    expect(requests[0].auth).toMatch(/^Bearer /);
    expect(facts).toHaveLength(500);
    const first = facts.find(f => f.entity.name === 'project-0')!;
    expect(first.entity).toEqual({ kind: 'component', namespace: 'default', name: 'project-0' });
    expect(first.facts).toEqual({ score: 10, level: 'blocked', phase: 'legacy', blockerCount: 2 });
    expect(Object.keys(retriever.schema).sort()).toEqual(['blockerCount', 'level', 'phase', 'score']);
    expect(retriever.id).toBe('runnerFleetMigrationFactRetriever');
  });
});
