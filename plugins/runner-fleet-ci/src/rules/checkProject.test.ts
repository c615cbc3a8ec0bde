import { ConfigurationError } from '../config';
import { createMemoryReader } from '../resolve/memoryReader';
import { BEFORE_DECOMMISSION } from './__testUtils__/analyze';
import { checkProject } from './checkProject';

const ci = 'build:\n  services: [docker:dind]\n  tags: [k8s-default]\n  script: [make]\n';

describe('checkProject', () => {
  it('reads waivers from .runner-fleet.yaml', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml': ci,
      '.runner-fleet.yaml': 'waivers:\n  - rule: docker-in-docker-service\n    reason: Kaniko next month\n    expires: 2027-01-31\n',
    });
    const result = await checkProject({ reader, now: BEFORE_DECOMMISSION });
    expect(result.waiverFileFound).toBe(true);
    expect(result.level).toBe('ready');
    expect(result.pipeline.jobs.map(job => job.name)).toEqual(['build']);
  });

  it('works without a waiver file', async () => {
    const result = await checkProject({ reader: createMemoryReader({ '.gitlab-ci.yml': ci }), now: BEFORE_DECOMMISSION });
    expect(result.waiverFileFound).toBe(false);
    expect(result.level).toBe('blocked');
  });

  it('raises a ConfigurationError for an unreadable waiver file', async () => {
    const reader = createMemoryReader({ '.gitlab-ci.yml': ci });
    reader.readLocal = async file => {
      if (file === '.runner-fleet.yaml') {
        throw new Error('symbolic link leaves the project root');
      }
      return file === '.gitlab-ci.yml' ? ci : undefined;
    };
    await expect(checkProject({ reader })).rejects.toThrow(ConfigurationError);
    await expect(checkProject({ reader })).rejects.toThrow(/symbolic link/);
  });

  it('uses given waivers instead of the file', async () => {
    const reader = createMemoryReader({ '.gitlab-ci.yml': ci, '.runner-fleet.yaml': 'not: [valid' });
    const result = await checkProject({ reader, waivers: [], now: BEFORE_DECOMMISSION });
    expect(result.level).toBe('blocked');
  });
});
