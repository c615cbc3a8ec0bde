import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { exampleEntities, userEntity } from '../__testUtils__/catalog';
import { createRecordingContext } from '../__testUtils__/context';
import { gitlabIntegrationConfig } from '../__testUtils__/gitlab';
import { createConfigRenderAction } from './configRender';

const action = createConfigRenderAction({
  catalog: catalogServiceMock({ entities: exampleEntities }),
  integrations: ScmIntegrations.fromConfig(new ConfigReader(gitlabIntegrationConfig)),
  permissions: mockServices.permissions(),
});

const input = {
  pool: 'resource:default/pool-gpu',
  runnerName: 'ml/training @ pool-gpu',
  secretName: 'gitlab-runner-ml-training-pool-gpu',
  cpu: 8,
  memoryGiB: 64,
  accelerators: 1,
  outputPath: 'runners/pool-gpu/ml/values.yaml',
};

describe('runner-fleet:config:render', () => {
  it('writes values that parse back to the expected structure', async () => {
    const { ctx, record, workspacePath } = createRecordingContext({ input, user: userEntity('alice') });
    await action.handler(ctx);

    const text = await fs.readFile(path.join(workspacePath, input.outputPath), 'utf8');
    const values = parseYaml(text);
    const config = parseToml(values.runners.config) as any;
    expect(values.gitlabUrl).toBe('http://127.0.0.1:65530');
    expect(values.concurrent).toBe(10);
    expect(config.runners[0].pre_build_script).toBe('ulimit -n 65536');
    expect(config.runners[0].kubernetes.cpu_request).toBe('8');
    expect(record.outputs.valuesPath).toBe(input.outputPath);
    expect(record.outputs.poolAccess).toBe('on-request');
    expect(record.outputs.configToml).toBe(values.runners.config);
  });

  it('renders the same file in a dry run', async () => {
    const { ctx, workspacePath } = createRecordingContext({ input, isDryRun: true });
    await action.handler(ctx);

    await expect(fs.stat(path.join(workspacePath, input.outputPath))).resolves.toBeTruthy();
  });

  it('refuses output paths outside the workspace', async () => {
    const { ctx } = createRecordingContext({ input: { ...input, outputPath: '../escape.yaml' } });

    await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
  });

  it.each([
    [{ fileDescriptorLimit: 2_000_000 }, /fileDescriptorLimit: Number must be less than or equal to 1048576/],
    [{ secretName: 'Bad_Name' }, /secretName: must be a Kubernetes name/],
    [{ concurrent: 0 }, /concurrent: Number must be greater than or equal to 1/],
    [{ accelerators: 8 }, /resources\.accelerators 8 exceeds the 4 accelerators of one node/],
    [{ defaultImage: 'alpine"; rm -rf /' }, /defaultImage: must be an image reference/],
  ])('rejects %j', async (override, message) => {
    const { ctx } = createRecordingContext({ input: { ...input, ...override } });

    await expect(action.handler(ctx)).rejects.toThrow(message);
  });
});
