import { analyzeFiles, findingsOf } from '../__testUtils__/analyze';

describe('legacy-docker-tag', () => {
  const yaml = `.legacy:
  tags:
    - docker

build:
  extends: .legacy
  script: [make]
`;

  it('points at the tag entry through extends', async () => {
    const findings = await findingsOf('legacy-docker-tag', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].location).toMatchObject({ file: '.gitlab-ci.yml', line: 3 });
    expect(findings[0].job).toBe('build');
    expect(findings[0].severity).toBe('warning');
    expect(findings[0].autoFix?.kind).toBe('remove-sequence-item');
  });

  it('is a blocker from the decommission date on', async () => {
    const findings = await findingsOf('legacy-docker-tag', yaml, { now: new Date('2027-03-31T00:00:00Z') });
    expect(findings[0].severity).toBe('blocker');
    expect(findings[0].message).toContain('was decommissioned on 2027-03-31');
  });

  it('follows a configured decommission date', async () => {
    const findings = await findingsOf('legacy-docker-tag', yaml, {
      config: { decommissionDate: '2026-06-30' },
    });
    expect(findings[0].severity).toBe('blocker');
  });

  it('uses configured legacy tags', async () => {
    const custom = 'build:\n  tags: [docker-vm]\n  script: [make]\n';
    expect(await findingsOf('legacy-docker-tag', custom)).toHaveLength(0);
    expect(await findingsOf('legacy-docker-tag', custom, { config: { tags: { legacy: ['docker-vm'] } } })).toHaveLength(1);
  });

  it('ignores tags that only contain the word', async () => {
    expect(await findingsOf('legacy-docker-tag', 'build:\n  tags: [docker-large, k8s-default]\n  script: [make]\n')).toHaveLength(0);
  });
});

describe('temporary-opt-in-tag', () => {
  it('reports the opt-in tag as info', async () => {
    const findings = await findingsOf('temporary-opt-in-tag', 'build:\n  tags: [k8s-default]\n  script: [make]\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('info');
    expect(findings[0].location.line).toBe(2);
  });

  it('ignores other tags', async () => {
    expect(await findingsOf('temporary-opt-in-tag', 'build:\n  tags: [cvmfs]\n  script: [make]\n')).toHaveLength(0);
  });
});

describe('untagged-job', () => {
  it('reports jobs without tags and with an empty list', async () => {
    const findings = await findingsOf('untagged-job', 'a:\n  script: [make]\nb:\n  tags: []\n  script: [make]\n');
    expect(findings.map(finding => finding.job)).toEqual(['a', 'b']);
  });

  it('sees tags inherited from default', async () => {
    const yaml = 'default:\n  tags: [cvmfs]\na:\n  script: [make]\n';
    expect(await findingsOf('untagged-job', yaml)).toHaveLength(0);
  });

  it('skips trigger jobs', async () => {
    expect(await findingsOf('untagged-job', 'deploy:\n  trigger: group/project\n')).toHaveLength(0);
  });
});

describe('external runners', () => {
  it('skips jobs tagged for macOS or Windows runners', async () => {
    const yaml = 'mac:\n  tags: [mac]\n  script: [source /cvmfs/sft.cern.ch/setup.sh]\nlinux:\n  script: [source /cvmfs/sft.cern.ch/setup.sh]\n';
    const findings = await findingsOf('cvmfs-without-cvmfs-runner', yaml);
    expect(findings.map(finding => finding.job)).toEqual(['linux']);
  });
});

describe('unknown-runner-tag', () => {
  it('reports tags no fleet has and suggests one', async () => {
    const findings = await findingsOf('unknown-runner-tag', 'a:\n  tags: [docker-gpu-nvidia, cvmfs]\n  script: [make]\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(2);
    expect(findings[0].message).toContain('probably `gpu`');
  });

  it('accepts known and variable tags', async () => {
    const yaml = 'a:\n  tags: [docker, k8s-default, qa, arm64, technical-network, $RUNNER]\n  script: [make]\n';
    expect(await findingsOf('unknown-runner-tag', yaml)).toHaveLength(0);
  });
});

describe('jobs on project runners', () => {
  it('get only the tag rules', async () => {
    const { findings } = await analyzeFiles('a:\n  tags: [docker, my-shell-runner]\n  script: [ping -c1 db]\n');
    expect(findings.map(finding => finding.ruleId).sort()).toEqual(['legacy-docker-tag', 'unknown-runner-tag']);
  });
});
