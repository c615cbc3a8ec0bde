import { findingsOf } from '../__testUtils__/analyze';

const job = (lines: string[], extra = '') =>
  `t:\n${extra}  script:\n${lines.map(line => `    - ${JSON.stringify(line)}`).join('\n')}\n`;

describe('privileged-operation', () => {
  it.each([
    ['mount -t tmpfs none /mnt'],
    ['sudo modprobe overlay'],
    ['sysctl -w net.ipv4.ip_forward=1'],
    ['sysctl vm.max_map_count=262144'],
    ['ip link add br0 type bridge'],
    ['losetup -f disk.img'],
    ['unshare -r true'],
    ['qemu-system-x86_64 -enable-kvm -device x /dev/kvm'],
  ])('flags %s', async line => {
    const findings = await findingsOf('privileged-operation', job([line]));
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(3);
  });

  it.each([['mount'], ['mount | grep cvmfs'], ['sysctl -a'], ['ip addr show'], ['echo umount']])('ignores %s', async line => {
    expect(await findingsOf('privileged-operation', job([line]))).toHaveLength(0);
  });
});

describe('raw-socket-tool', () => {
  it.each([['ping -c 1 db'], ['traceroute example.org'], ['sudo tcpdump -i any'], ['until ping -c1 db; do sleep 1; done']])(
    'flags %s',
    async line => {
      expect(await findingsOf('raw-socket-tool', job([line]))).toHaveLength(1);
    },
  );

  it.each([['echo ping'], ['curl http://db/ping'], ['./ping-test.sh'], ['nc -z db 5432']])('ignores %s', async line => {
    expect(await findingsOf('raw-socket-tool', job([line]))).toHaveLength(0);
  });
});

describe('ipv4-loopback-literal', () => {
  it('flags script lines, variables and service commands', async () => {
    const yaml = `t:
  variables:
    DB: postgres://127.0.0.1/db
  services:
    - name: redis
      command: ["redis-server", "--bind", "127.0.0.1"]
  script:
    - ./server --listen 127.0.0.1:8080
`;
    const findings = await findingsOf('ipv4-loopback-literal', yaml);
    expect(findings.map(finding => finding.location.line).sort()).toEqual([3, 6, 8]);
  });

  it.each([['curl http://localhost:8080'], ['ping6 ::1'], ['echo 10.127.0.0.1.5'], ['pip install pkg==1.127.0.1']])(
    'ignores %s',
    async line => {
      expect(await findingsOf('ipv4-loopback-literal', job([line]))).toHaveLength(0);
    },
  );
});

describe('service-port-clash', () => {
  it('flags two services on one port', async () => {
    const yaml = 't:\n  services:\n    - name: postgres:15\n      alias: a\n    - name: postgres:16\n      alias: b\n  script: [make]\n';
    const findings = await findingsOf('service-port-clash', yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(5);
    expect(findings[0].message).toContain('5432');
  });

  it('flags clashes across different images', async () => {
    const yaml = 't:\n  services: [minio/minio, clickhouse/clickhouse-server]\n  script: [make]\n';
    expect(await findingsOf('service-port-clash', yaml)).toHaveLength(1);
  });

  it('ignores services on different ports', async () => {
    const yaml = 't:\n  services: [postgres:16, redis:7, mysql:8]\n  script: [make]\n';
    expect(await findingsOf('service-port-clash', yaml)).toHaveLength(0);
  });
});

describe('service-not-awaited', () => {
  it('flags services without a wait', async () => {
    const findings = await findingsOf('service-not-awaited', 't:\n  services: [postgres:16]\n  script: [pytest]\n');
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(2);
  });

  it.each([
    ['until pg_isready -h postgres; do sleep 1; done'],
    ['npx wait-on tcp:5432'],
    ['curl --retry 10 --retry-connrefused http://search:9200'],
    ['nc -z postgres 5432'],
  ])('accepts the wait %s', async line => {
    expect(await findingsOf('service-not-awaited', job([line], '  services: [postgres:16]\n'))).toHaveLength(0);
  });

  it('accepts HEALTHCHECK_TCP_PORT on the service', async () => {
    const yaml = 't:\n  services:\n    - name: postgres:16\n      variables:\n        HEALTHCHECK_TCP_PORT: "5432"\n  script: [pytest]\n';
    expect(await findingsOf('service-not-awaited', yaml)).toHaveLength(0);
  });
});

describe('background-process-leak', () => {
  it('flags a server left running with its output on the log', async () => {
    const findings = await findingsOf('background-process-leak', job(['python -m http.server 8000 &', 'pytest']));
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(3);
  });

  it.each([
    [['python -m http.server > server.log 2>&1 &', 'pytest']],
    [['python -m http.server &> server.log &', 'pytest']],
    [['python -m http.server & SERVER=$!', 'pytest', 'kill $SERVER']],
    [['trap "kill 0" EXIT', 'python -m http.server &', 'pytest']],
    [['make && make test']],
  ])('ignores %j', async lines => {
    expect(await findingsOf('background-process-leak', job(lines))).toHaveLength(0);
  });

  it('does not treat 2>&1 alone as redirected', async () => {
    expect(await findingsOf('background-process-leak', job(['server 2>&1 &']))).toHaveLength(1);
  });
});

describe('service-not-awaited with Docker-in-Docker', () => {
  it('leaves dind services to docker-in-docker-service', async () => {
    expect(await findingsOf('service-not-awaited', 't:\n  services: [docker:dind]\n  script: [docker info]\n')).toHaveLength(0);
  });
});
