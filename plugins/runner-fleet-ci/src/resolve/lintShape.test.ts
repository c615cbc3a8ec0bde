import { createMemoryReader } from './memoryReader';
import { resolvePipeline } from './resolvePipeline';

/*
 * Hand examples checked against the shape of GitLab's CI Lint `merged_yaml`
 * (GitLab's lint API with include_merged_yaml=true), which shows the
 * configuration after includes and extends are applied, with `extends`
 * still written in each job and without `default` copied into jobs.
 */
describe('merged_yaml shape', () => {
  it('matches the documented extends example', async () => {
    // The example from GitLab's blog post on the CI Lint API: merged_yaml
    // shows both jobs with the template's image, variables and script, and
    // test-extends-prod with its own BUILD_TYPE and script.
    const pipeline = await resolvePipeline({
      reader: createMemoryReader({}),
      rootText: [
        '.job-tmpl:',
        '  image: alpine:latest',
        '  variables:',
        '    BUILD_TYPE: "Debug"',
        '  script:',
        '    - echo "Hello from GitLab"',
        'test-extends-stage:',
        '  extends: .job-tmpl',
        'test-extends-prod:',
        '  extends: .job-tmpl',
        '  variables:',
        '    BUILD_TYPE: "Release"',
        '  script:',
        '    - echo "Hello from GitLab, release"',
      ].join('\n'),
    });
    expect(pipeline.errors).toEqual([]);
    const merged = Object.fromEntries(
      pipeline.jobs.map(job => [
        job.name,
        { ...job.definition, extends: job.extends?.[0] },
      ]),
    );
    expect(merged).toEqual({
      'test-extends-stage': {
        image: 'alpine:latest',
        variables: { BUILD_TYPE: 'Debug' },
        script: ['echo "Hello from GitLab"'],
        extends: '.job-tmpl',
      },
      'test-extends-prod': {
        image: 'alpine:latest',
        variables: { BUILD_TYPE: 'Release' },
        script: ['echo "Hello from GitLab, release"'],
        extends: '.job-tmpl',
      },
    });
  });

  it('merges an included job under the root file', async () => {
    const pipeline = await resolvePipeline({
      reader: createMemoryReader({
        '.gitlab-ci.yml': 'include: ci/build.yml\nbuild:\n  stage: compile\n',
        'ci/build.yml': 'build:\n  stage: build\n  script: [make]\n',
      }),
    });
    expect(pipeline.errors).toEqual([]);
    expect(pipeline.jobs.map(job => [job.name, job.definition])).toEqual([
      ['build', { stage: 'compile', script: ['make'] }],
    ]);
    expect(pipeline.files.map(file => file.file)).toEqual([
      '.gitlab-ci.yml',
      'ci/build.yml',
    ]);
  });
});
