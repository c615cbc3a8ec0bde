import { findingsOf } from '../__testUtils__/analyze';

describe('image-entrypoint-override', () => {
  it('flags a setup entrypoint', async () => {
    const yaml = 't:\n  image:\n    name: alpine\n    entrypoint: ["/setup.sh"]\n  script: [make]\n';
    const findings = await findingsOf('image-entrypoint-override', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(4);
  });

  it.each([['[""]'], ['["/bin/sh", "-c"]'], ['["/usr/bin/env"]'], ['[]']])('ignores the entrypoint %s', async value => {
    const yaml = `t:\n  image:\n    name: alpine\n    entrypoint: ${value}\n  script: [make]\n`;
    expect(await findingsOf('image-entrypoint-override', yaml)).toHaveLength(0);
  });

  it('accepts FF_KUBERNETES_HONOR_ENTRYPOINT', async () => {
    const yaml = 't:\n  variables:\n    FF_KUBERNETES_HONOR_ENTRYPOINT: "true"\n  image:\n    name: alpine\n    entrypoint: ["/setup.sh"]\n  script: [make]\n';
    expect(await findingsOf('image-entrypoint-override', yaml)).toHaveLength(0);
  });
});

describe('image-entrypoint-reliance', () => {
  it('flags micromamba without an override', async () => {
    const findings = await findingsOf('image-entrypoint-reliance', 't:\n  image: mambaorg/micromamba:1.5\n  script: [python -V]\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(2);
  });

  it('uses configured image patterns', async () => {
    const yaml = 't:\n  image: registry.example.org/env/setup:1\n  script: [make]\n';
    expect(await findingsOf('image-entrypoint-reliance', yaml)).toHaveLength(0);
    expect(await findingsOf('image-entrypoint-reliance', yaml, { config: { entrypointImages: ['env/setup'] } })).toHaveLength(1);
  });

  it('ignores plain images', async () => {
    expect(await findingsOf('image-entrypoint-reliance', 't:\n  image: python:3.12\n  script: [make]\n')).toHaveLength(0);
  });
});

describe('entrypoint-reads-ci-variables', () => {
  it('flags variables in the entrypoint', async () => {
    const yaml = 't:\n  image:\n    name: tool\n    entrypoint: ["sh", "-c", "login $CI_JOB_TOKEN && exec \\"$@\\""]\n  script: [make]\n';
    const findings = await findingsOf('entrypoint-reads-ci-variables', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('$CI_JOB_TOKEN');
    expect(findings[0].location.line).toBe(4);
  });

  it('ignores entrypoints without variables', async () => {
    const yaml = 't:\n  image:\n    name: tool\n    entrypoint: ["/setup.sh"]\n  script: [make]\n';
    expect(await findingsOf('entrypoint-reads-ci-variables', yaml)).toHaveLength(0);
  });
});

describe('centos7-image-ulimit', () => {
  it.each([['centos:7'], ['centos:centos7.9.2009'], ['gitlab-registry.cern.ch/linuxsupport/cc7-base'], ['quay.io/pypa/manylinux2014_x86_64'], ['registry/slc7-build:latest'], ['centos:6'], ['cern/slc6-base']])(
    'flags %s',
    async image => {
      expect(await findingsOf('centos7-image-ulimit', `t:\n  image: ${image}\n  script: [make]\n`)).toHaveLength(1);
    },
  );

  it.each([['centos:8'], ['almalinux:9'], ['rockylinux:8.9'], ['registry/el9-build'], ['python:3.7']])('ignores %s', async image => {
    expect(await findingsOf('centos7-image-ulimit', `t:\n  image: ${image}\n  script: [make]\n`)).toHaveLength(0);
  });

  it('accepts a lowered open-file limit', async () => {
    const yaml = 't:\n  image: centos:7\n  before_script: [ulimit -n 65536]\n  script: [make]\n';
    expect(await findingsOf('centos7-image-ulimit', yaml)).toHaveLength(0);
  });
});

describe('ulimit-raise', () => {
  it.each([['ulimit -c unlimited'], ['ulimit -Hn 100000'], ['ulimit -n 2000000'], ['ulimit -l 65536']])('flags %s', async line => {
    expect(await findingsOf('ulimit-raise', `t:\n  script: [${JSON.stringify(line)}]\n`)).toHaveLength(1);
  });

  it.each([['ulimit -n 65536'], ['ulimit -a'], ['ulimit -n'], ['ulimit -s 8192']])('ignores %s', async line => {
    expect(await findingsOf('ulimit-raise', `t:\n  script: [${JSON.stringify(line)}]\n`)).toHaveLength(0);
  });
});

describe('architecture-specific', () => {
  it('flags an arm image without the ARM tag', async () => {
    const findings = await findingsOf('architecture-specific', 't:\n  image: arm64v8/ubuntu:22.04\n  script: [make]\n');
    expect(findings).toHaveLength(1);
  });

  it('flags an amd64 image on the ARM fleet', async () => {
    expect(await findingsOf('architecture-specific', 't:\n  image: amd64/ubuntu\n  tags: [arm64]\n  script: [make]\n')).toHaveLength(1);
  });

  it('accepts an arm image with the tag', async () => {
    const yaml = 't:\n  image: quay.io/pypa/manylinux2014_aarch64\n  tags: [aarch64]\n  script: [make]\n';
    expect(await findingsOf('architecture-specific', yaml)).toHaveLength(0);
  });

  it('ignores multi-architecture images', async () => {
    expect(await findingsOf('architecture-specific', 't:\n  image: ubuntu:22.04\n  script: [make]\n')).toHaveLength(0);
  });
});

describe('non-numeric-image-user', () => {
  it('flags docker:user without kubernetes:user', async () => {
    const yaml = 't:\n  image:\n    name: alpine\n    docker:\n      user: builder\n  script: [id]\n';
    const findings = await findingsOf('non-numeric-image-user', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(5);
  });

  it('flags a named kubernetes:user', async () => {
    const yaml = 't:\n  image:\n    name: alpine\n    kubernetes:\n      user: root\n  script: [id]\n';
    expect(await findingsOf('non-numeric-image-user', yaml)).toHaveLength(1);
  });

  it('accepts a numeric kubernetes:user', async () => {
    const yaml = 't:\n  image:\n    name: alpine\n    docker:\n      user: builder\n    kubernetes:\n      user: "1000:1000"\n  script: [id]\n';
    expect(await findingsOf('non-numeric-image-user', yaml)).toHaveLength(0);
  });
});

describe('architecture-specific cross images', () => {
  it('ignores cross-compilation images', async () => {
    const yaml = 't:\n  image: quay.io/libvirt/buildenv-libvirt-debian-10-cross-aarch64:latest\n  script: [make]\n';
    expect(await findingsOf('architecture-specific', yaml)).toHaveLength(0);
  });
});

describe('image-entrypoint-override with env', () => {
  it('ignores env that only sets PATH', async () => {
    const yaml = 't:\n  image:\n    name: tool\n    entrypoint: ["/usr/bin/env", "PATH=/usr/local/bin:/usr/bin:/bin"]\n  script: [make]\n';
    expect(await findingsOf('image-entrypoint-override', yaml)).toHaveLength(0);
  });

  it('flags env that sets other variables', async () => {
    const yaml = 't:\n  image:\n    name: tool\n    entrypoint: ["/usr/bin/env", "LD_LIBRARY_PATH=/opt/lib"]\n  script: [make]\n';
    expect(await findingsOf('image-entrypoint-override', yaml)).toHaveLength(1);
  });
});
