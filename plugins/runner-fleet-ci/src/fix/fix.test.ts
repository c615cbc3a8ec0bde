import { analyzeFiles } from '../rules/__testUtils__/analyze';
import { applyFixes } from '.';

async function fix(files: Record<string, string>) {
  const { pipeline, findings } = await analyzeFiles(files);
  return applyFixes(pipeline, findings);
}

/** Lines of `after` that are not in `before`, and the reverse. */
function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter(line => !b.includes(line)), added: b.filter(line => !a.includes(line)) };
}

describe('applyFixes', () => {
  it('removes a legacy tag and keeps every other byte', async () => {
    const original = `# Build jobs
compile:
  stage: build   # keep this comment
  image: "gcc:13"
  tags:
    # the old fleet
    - docker
    - large-disk
  script:
    - make -j"$(nproc)"   # parallel
`;
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files).toHaveLength(1);
    const updated = result.files[0].updated;
    expect(changedLines(original, updated)).toEqual({ removed: ['    - docker'], added: [] });
    expect(updated).toBe(original.replace('    - docker\n', ''));
  });

  it('writes an empty list when the last tag goes', async () => {
    const original = 'default:\n  tags: [cvmfs]\n\njob:\n  tags:\n    - k8s-default\n  script: [make]\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe('default:\n  tags: [cvmfs]\n\njob:\n  tags: []\n  script: [make]\n');
  });

  it('removes the tags key with its last tag', async () => {
    const original = `# Build jobs
compile:
  stage: build   # keep this comment
  tags:   # the old fleet
    # only the docker tag
    - docker
  script:
    - make
`;
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe(`# Build jobs
compile:
  stage: build   # keep this comment
  # the old fleet
    # only the docker tag
  script:
    - make
`);
    expect(result.files[0].updated).not.toContain('tags');
  });

  it('removes single-line tags keys', async () => {
    const cases: Array<[string, string]> = [
      ['a:\n  tags: [docker]\n  script: [make]\n', 'a:\n  script: [make]\n'],
      ['a:\n  tags: [ "docker" ]  # legacy\n  script: [make]\n', 'a:\n  # legacy\n  script: [make]\n'],
      ['a:\n  tags: docker\n  script: [make]\n', 'a:\n  script: [make]\n'],
      ['a:\r\n  tags:\r\n    - docker\r\n  script:\r\n    - make\r\n', 'a:\r\n  script:\r\n    - make\r\n'],
      ['a:\n  script: [make]\n  tags:\n    - docker', 'a:\n  script: [make]\n'],
    ];
    for (const [before, after] of cases) {
      const result = await fix({ '.gitlab-ci.yml': before });
      expect(result.files[0]?.updated).toBe(after);
    }
  });

  it('removes the last default tag key', async () => {
    const original = 'default:\n  image: alpine\n  tags: [docker]\n\njob:\n  script: [make]\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe('default:\n  image: alpine\n\njob:\n  script: [make]\n');
  });

  it('keeps empty tags that block inheritance', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      [
        'extends parent with tags',
        { '.gitlab-ci.yml': '.base:\n  tags: [cvmfs]\njob:\n  extends: .base\n  tags: [docker]\n  script: [make]\n' },
        '.base:\n  tags: [cvmfs]\njob:\n  extends: .base\n  tags: []\n  script: [make]\n',
      ],
      [
        'merge key',
        { '.gitlab-ci.yml': '.base: &base\n  tags: [cvmfs]\njob:\n  <<: *base\n  tags: [docker]\n  script: [make]\n' },
        '.base: &base\n  tags: [cvmfs]\njob:\n  <<: *base\n  tags: []\n  script: [make]\n',
      ],
      [
        'hidden job',
        { '.gitlab-ci.yml': '.base:\n  tags: [docker]\n  image: alpine\njob:\n  extends: .base\n  script: [make]\n' },
        '.base:\n  tags: []\n  image: alpine\njob:\n  extends: .base\n  script: [make]\n',
      ],
      [
        'default tags in an included file',
        {
          '.gitlab-ci.yml': 'include:\n  - local: ci/default.yml\njob:\n  tags: [docker]\n  script: [make]\n',
          'ci/default.yml': 'default:\n  tags: [cvmfs]\n',
        },
        'include:\n  - local: ci/default.yml\njob:\n  tags: []\n  script: [make]\n',
      ],
    ];
    for (const [name, files, expected] of cases) {
      const result = await fix(files);
      const root = result.files.find(file => file.file === '.gitlab-ci.yml');
      expect({ name, updated: root?.updated }).toEqual({ name, updated: expected });
    }
  });

  it('edits flow lists', async () => {
    const cases: Array<[string, string]> = [
      ['a:\n  tags: [docker, large]\n  script: [make]\n', 'a:\n  tags: [large]\n  script: [make]\n'],
      ['a:\n  tags: [large, docker]\n  script: [make]\n', 'a:\n  tags: [large]\n  script: [make]\n'],
      ['a:\n  tags: [docker, k8s-default]\n  script: [make]\n', 'a:\n  script: [make]\n'],
    ];
    for (const [before, after] of cases) {
      const result = await fix({ '.gitlab-ci.yml': before });
      expect(result.files[0]?.updated).toBe(after);
    }
  });

  it('fixes the included file that set the tag', async () => {
    const include = 'compile:\n  tags:\n    - docker\n    - big\n  script: [make]\n';
    const result = await fix({ '.gitlab-ci.yml': 'include:\n  - local: ci/build.yml\n', 'ci/build.yml': include });
    expect(result.files.map(file => file.file)).toEqual(['ci/build.yml']);
    expect(result.files[0].updated).toBe('compile:\n  tags:\n    - big\n  script: [make]\n');
  });

  it('rewrites /builds inside a block scalar', async () => {
    const original = 'a:\n  tags: [cvmfs]\n  script:\n    - |\n      cd /builds/group/project\n      make\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe('a:\n  tags: [cvmfs]\n  script:\n    - |\n      cd ${CI_BUILDS_DIR}/group/project\n      make\n');
  });

  it('quotes a rewritten plain scalar inside a flow list', async () => {
    const original = 'a:\n  tags: [cvmfs]\n  script: [cd /builds/x, make]\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe('a:\n  tags: [cvmfs]\n  script: ["cd ${CI_BUILDS_DIR}/x", make]\n');
  });

  it('never edits files from other projects', async () => {
    const files = {
      '.gitlab-ci.yml': 'include:\n  - project: group/templates\n    file: build.yml\n',
      'project:group/templates:build.yml': 'compile:\n  tags: [docker]\n  script: [make]\n',
    };
    const result = await fix(files);
    expect(result.files).toEqual([]);
    expect(result.skipped[0].reason).toContain('not a file of this checkout');
  });

  it('skips waived findings', async () => {
    const { pipeline, findings } = await analyzeFiles('a:\n  tags: [docker]\n  script: [make]\n', {
      waivers: [{ rule: 'legacy-docker-tag', reason: 'r', expires: '2027-01-01' }],
    });
    expect(applyFixes(pipeline, findings).files).toEqual([]);
  });
});

describe('applyFixes on harder layouts', () => {
  it('keeps CRLF line endings', async () => {
    const original = 'a:\r\n  tags:\r\n    - docker\r\n    - cvmfs\r\n  script:\r\n    - make\r\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe('a:\r\n  tags:\r\n    - cvmfs\r\n  script:\r\n    - make\r\n');
  });

  it('edits an anchored tag list once for every job that uses it', async () => {
    const original = '.tags: &legacy\n  - docker\n  - cvmfs\na:\n  tags: *legacy\n  script: [make]\nb:\n  tags: *legacy\n  script: [make]\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe('.tags: &legacy\n  - cvmfs\na:\n  tags: *legacy\n  script: [make]\nb:\n  tags: *legacy\n  script: [make]\n');
    expect(result.applied).toHaveLength(1);
  });

  it('keeps quoted tags quoted', async () => {
    const original = 'a:\n  tags: ["docker", \'cvmfs\']\n  script: [make]\n';
    const result = await fix({ '.gitlab-ci.yml': original });
    expect(result.files[0].updated).toBe("a:\n  tags: ['cvmfs']\n  script: [make]\n");
  });
});
