import { resolvePipeline } from './resolvePipeline';
import { createMemoryReader } from './memoryReader';

describe('resolvePipeline smoke', () => {
  it('resolves extends from a hidden job', async () => {
    const reader = createMemoryReader({
      '.gitlab-ci.yml':
        '.cc7:\n  image: cern/cc7-base\n  tags: [docker]\nrpm:\n  extends: .cc7\n  script: [make rpm]\n',
    });
    const pipeline = await resolvePipeline({ reader });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(j => j.name)).toEqual(['rpm']);
    expect(pipeline.jobs[0].definition).toEqual({
      image: 'cern/cc7-base',
      tags: ['docker'],
      script: ['make rpm'],
    });
    expect(pipeline.jobs[0].locate(['image'])).toEqual({
      file: '.gitlab-ci.yml',
      line: 2,
      column: 10,
    });
  });
});
