import { findingsOf } from '../__testUtils__/analyze';

describe('docker-in-docker-service', () => {
  it.each([
    ['docker:dind'],
    ['docker:24.0.5-dind-rootless'],
    ['registry.example.org/mirror/docker:dind'],
    ['my-dind:1.0'],
  ])('flags the service %s', async image => {
    const findings = await findingsOf('docker-in-docker-service', `b:\n  services:\n    - ${image}\n  script: [make]\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(3);
  });

  it('points at the name of a service written as a map', async () => {
    const yaml = 'b:\n  services:\n    - name: docker:dind\n      alias: docker\n  script: [make]\n';
    const findings = await findingsOf('docker-in-docker-service', yaml);
    expect(findings[0].location.line).toBe(3);
  });

  it.each([['docker:24'], ['postgres:16'], ['gcr.io/kaniko-project/executor:debug']])(
    'ignores the service %s',
    async image => {
      expect(await findingsOf('docker-in-docker-service', `b:\n  services: ['${image}']\n  script: [make]\n`)).toHaveLength(0);
    },
  );
});

describe('docker-cli-in-script', () => {
  it.each([
    ['docker build -t x .'],
    ['sudo docker push x'],
    ['make && docker compose up -d'],
    ['export ID=$(docker ps -q)'],
    ['/usr/bin/docker run --rm alpine true'],
    ['docker-compose up'],
  ])('flags %s', async line => {
    const findings = await findingsOf('docker-cli-in-script', { '.gitlab-ci.yml': `b:\n  script:\n    - ${JSON.stringify(line)}\n` });
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(3);
  });

  it.each([
    ['echo "docker build"'],
    ['docker --version'],
    ['/kaniko/executor --context .'],
    ['cat docker/Dockerfile'],
  ])('ignores %s', async line => {
    expect(await findingsOf('docker-cli-in-script', `b:\n  script:\n    - ${JSON.stringify(line)}\n`)).toHaveLength(0);
  });

  it('points into a block scalar at the docker line', async () => {
    const yaml = 'b:\n  script:\n    - |\n      echo start\n      docker build .\n';
    const findings = await findingsOf('docker-cli-in-script', yaml);
    expect(findings[0].location.line).toBe(5);
  });
});

describe('docker-host-variable', () => {
  it('flags job and top-level variables', async () => {
    const yaml = 'variables:\n  DOCKER_HOST: tcp://docker:2375\nb:\n  script: [make]\n';
    const findings = await findingsOf('docker-host-variable', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(2);
  });

  it('respects inherit:variables false', async () => {
    const yaml = 'variables:\n  DOCKER_HOST: tcp://docker:2375\nb:\n  inherit:\n    variables: false\n  script: [make]\n';
    expect(await findingsOf('docker-host-variable', yaml)).toHaveLength(0);
  });

  it('flags an export in the script', async () => {
    const findings = await findingsOf('docker-host-variable', 'b:\n  script:\n    - export DOCKER_HOST=tcp://docker:2375\n');
    expect(findings).toHaveLength(1);
  });

  it('ignores other variables', async () => {
    expect(await findingsOf('docker-host-variable', 'b:\n  variables:\n    DOCKER_DRIVER: overlay2\n  script: [make]\n')).toHaveLength(0);
  });
});

describe('docker-socket-mount', () => {
  it('flags the socket in scripts and variables', async () => {
    const yaml = 'b:\n  variables:\n    DOCKER_HOST: unix:///var/run/docker.sock\n  script:\n    - ls -l /var/run/docker.sock\n';
    const findings = await findingsOf('docker-socket-mount', yaml);
    expect(findings.map(finding => finding.location.line).sort()).toEqual([3, 5]);
  });

  it('ignores other sockets', async () => {
    expect(await findingsOf('docker-socket-mount', 'b:\n  script: [ls /var/run/containerd.sock]\n')).toHaveLength(0);
  });
});

describe('evidence in folded scalars', () => {
  it('points at the continuation line with the match', async () => {
    const yaml = 'b:\n  script:\n    - docker run\n        --volume /var/run/docker.sock:/var/run/docker.sock\n        alpine true\n';
    const findings = await findingsOf('docker-socket-mount', yaml);
    expect(findings[0].location.line).toBe(4);
  });
});
