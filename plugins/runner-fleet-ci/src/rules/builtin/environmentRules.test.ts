import { findingsOf } from '../__testUtils__/analyze';

describe('cvmfs-without-cvmfs-runner', () => {
  it('flags /cvmfs in a variable', async () => {
    const yaml = 't:\n  variables:\n    LCG: /cvmfs/sft.cern.ch/lcg/views/LCG_105\n  script: [make]\n';
    const findings = await findingsOf('cvmfs-without-cvmfs-runner', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(3);
  });

  it('accepts the cvmfs tag', async () => {
    const yaml = 't:\n  tags: [cvmfs]\n  script: [source /cvmfs/sft.cern.ch/setup.sh]\n';
    expect(await findingsOf('cvmfs-without-cvmfs-runner', yaml)).toHaveLength(0);
  });

  it('ignores paths that only contain the word', async () => {
    expect(await findingsOf('cvmfs-without-cvmfs-runner', 't:\n  script: [ls ./cvmfs/, cat docs/cvmfs.md]\n')).toHaveLength(0);
  });
});

describe('accelerator-required', () => {
  it.each([
    ['nvidia-smi', 'gpu'],
    ['xbutil examine', 'fpga'],
    ['spark-submit --master yarn job.py', 'spark'],
  ])('flags %s without the %s tag', async (line, tag) => {
    const findings = await findingsOf('accelerator-required', `t:\n  script: [${JSON.stringify(line)}]\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain(`\`${tag}\``);
    expect(await findingsOf('accelerator-required', `t:\n  tags: [${tag}]\n  script: [${JSON.stringify(line)}]\n`)).toHaveLength(0);
  });

  it('ignores compiling CUDA code', async () => {
    expect(await findingsOf('accelerator-required', 't:\n  image: nvidia/cuda:12.4.1-devel-ubuntu22.04\n  script: [nvcc -o app app.cu]\n')).toHaveLength(0);
  });
});

describe('hardcoded-builds-path', () => {
  it('flags /builds and offers a fix', async () => {
    const findings = await findingsOf('hardcoded-builds-path', 't:\n  script:\n    - cd /builds/physics/sim\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].autoFix).toMatchObject({ kind: 'replace-in-scalar', search: '/builds/' });
  });

  it.each([['curl https://ci.example.org/builds/1'], ['cd $CI_PROJECT_DIR/builds/out'], ['ls ./builds/']])('ignores %s', async line => {
    expect(await findingsOf('hardcoded-builds-path', `t:\n  script: [${JSON.stringify(line)}]\n`)).toHaveLength(0);
  });
});

describe('kubernetes-resource-override', () => {
  it('warns about invalid quantities', async () => {
    const findings = await findingsOf('kubernetes-resource-override', 't:\n  variables:\n    KUBERNETES_MEMORY_LIMIT: 8GB\n  script: [make]\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('warning');
    expect(findings[0].location.line).toBe(3);
  });

  it('notes valid quantities as info', async () => {
    const findings = await findingsOf('kubernetes-resource-override', 't:\n  variables:\n    KUBERNETES_CPU_REQUEST: 500m\n  script: [make]\n');
    expect(findings[0].severity).toBe('info');
  });

  it('never shows the bearer token', async () => {
    const findings = await findingsOf('kubernetes-resource-override', 't:\n  variables:\n    KUBERNETES_BEARER_TOKEN: s3cr3t-value\n  script: [make]\n');
    expect(findings[0].severity).toBe('warning');
    expect(findings[0].message).not.toContain('s3cr3t-value');
  });

  it('ignores other variables', async () => {
    expect(await findingsOf('kubernetes-resource-override', 't:\n  variables:\n    KUBECONFIG: /tmp/k\n  script: [make]\n')).toHaveLength(0);
  });
});

describe('top-level variables', () => {
  const yaml = `variables:
  LCG: /cvmfs/sft.cern.ch/lcg/releases
uses:
  script: [ls "$LCG"]
ignores:
  script: [deploy-docs]
`;

  it('count only for jobs whose scripts refer to them', async () => {
    const findings = await findingsOf('cvmfs-without-cvmfs-runner', yaml);
    expect(findings.map(finding => [finding.job, finding.location.line])).toEqual([['uses', 2]]);
  });
});
