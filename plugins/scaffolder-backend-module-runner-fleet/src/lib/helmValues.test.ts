import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { exampleEntities } from '../__testUtils__/catalog';
import { type RenderOptions, renderRunnerDeployment } from './helmValues';
import { toHardwarePool } from './pools';

const fleets = exampleEntities.filter(
  e => (e.spec as { type: string }).type === 'gitlab-runner-fleet',
);
function poolNamed(name: string) {
  return toHardwarePool(
    exampleEntities.find(e => e.metadata.name === name)!,
    fleets,
  );
}

function options(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return {
    gitlabUrl: 'https://gitlab.example.org',
    runnerName: 'ml/training @ pool-gpu',
    secretName: 'gitlab-runner-ml-training-pool-gpu',
    pool: poolNamed('pool-gpu'),
    concurrent: 10,
    resources: { cpu: 8, memoryGiB: 64, accelerators: 2 },
    cvmfs: false,
    fileDescriptorLimit: 65536,
    honorEntrypoint: false,
    dropAllCapabilities: false,
    defaultImage: 'alpine:3.20',
    ...overrides,
  };
}

type RunnerConfig = {
  runners: Array<{
    name: string;
    executor: string;
    pre_build_script: string;
    feature_flags?: Record<string, boolean>;
    kubernetes: Record<string, any>;
  }>;
};

function roundTrip(rendered: ReturnType<typeof renderRunnerDeployment>) {
  const values = parseYaml(rendered.valuesYaml) as Record<string, any>;
  const config = parseToml(values.runners.config) as unknown as RunnerConfig;
  return { values, config };
}

describe('renderRunnerDeployment', () => {
  it('renders GPU requests through a strategic pod_spec patch', () => {
    const { config } = roundTrip(renderRunnerDeployment(options()));
    const kubernetes = config.runners[0].kubernetes;

    expect(config.runners).toHaveLength(1);
    expect(config.runners[0].executor).toBe('kubernetes');
    expect(kubernetes.pod_spec).toHaveLength(1);
    expect(kubernetes.pod_spec[0].patch_type).toBe('strategic');
    expect(parseYaml(kubernetes.pod_spec[0].patch)).toEqual({
      containers: [
        {
          name: 'build',
          resources: {
            requests: { 'nvidia.com/gpu': '2' },
            limits: { 'nvidia.com/gpu': '2' },
          },
        },
      ],
    });
    expect(config.runners[0].feature_flags).toEqual({
      FF_USE_ADVANCED_POD_SPEC_CONFIGURATION: true,
    });
    expect(kubernetes.node_tolerations).toEqual({
      'runner-fleet.io/pool=pool-gpu': 'NoSchedule',
      'nvidia.com/gpu': 'NoSchedule',
    });
  });

  it('selects ARM nodes and omits accelerator settings', () => {
    const { config } = roundTrip(
      renderRunnerDeployment(
        options({
          pool: poolNamed('pool-arm64'),
          resources: { cpu: 4, memoryGiB: 8, accelerators: 0 },
        }),
      ),
    );
    const kubernetes = config.runners[0].kubernetes;

    expect(kubernetes.node_selector).toEqual({
      'kubernetes.io/arch': 'arm64',
      'runner-fleet.io/pool': 'pool-arm64',
    });
    expect(kubernetes.pod_spec).toBeUndefined();
    expect(config.runners[0].feature_flags).toBeUndefined();
  });

  it('uses the FPGA device plugin resource on the FPGA pool', () => {
    const { config } = roundTrip(
      renderRunnerDeployment(
        options({
          pool: poolNamed('pool-fpga'),
          resources: { cpu: 8, memoryGiB: 32, accelerators: 1 },
        }),
      ),
    );
    const patch = parseYaml(config.runners[0].kubernetes.pod_spec[0].patch);

    expect(patch.containers[0].resources.limits).toEqual({ 'amd.com/xilinx': '1' });
  });

  it('mounts CVMFS read-only with HostToContainer propagation', () => {
    const { config } = roundTrip(
      renderRunnerDeployment(options({ pool: poolNamed('pool-general-x86'), cvmfs: true, resources: { cpu: 2, memoryGiB: 4, accelerators: 0 } })),
    );

    expect(config.runners[0].kubernetes.volumes).toEqual({
      host_path: [
        {
          name: 'cvmfs',
          mount_path: '/cvmfs',
          host_path: '/cvmfs',
          read_only: true,
          mount_propagation: 'HostToContainer',
        },
      ],
    });
  });

  it('sets security, limits and the file-descriptor cap', () => {
    const { values, config } = roundTrip(
      renderRunnerDeployment(options({ resources: { cpu: 0.5, memoryGiB: 1.5, accelerators: 0 }, honorEntrypoint: true })),
    );
    const runner = config.runners[0];

    expect(runner.pre_build_script).toBe('ulimit -n 65536');
    expect(runner.feature_flags).toEqual({ FF_KUBERNETES_HONOR_ENTRYPOINT: true });
    expect(runner.kubernetes).toMatchObject({
      namespace: '{{.Release.Namespace}}',
      privileged: false,
      allow_privilege_escalation: false,
      cap_drop: ['NET_RAW'],
      cpu_request: '500m',
      memory_request: '1536Mi',
      cpu_request_overwrite_max_allowed: '64',
      cpu_limit_overwrite_max_allowed: '64',
      memory_request_overwrite_max_allowed: '512Gi',
    });
    expect(values.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.runners.secret).toBe('gitlab-runner-ml-training-pool-gpu');
  });

  it('never writes deprecated chart values or tokens', () => {
    const { values } = roundTrip(renderRunnerDeployment(options()));

    expect(Object.keys(values).sort()).toEqual([
      'checkInterval',
      'concurrent',
      'gitlabUrl',
      'podSecurityContext',
      'rbac',
      'runners',
      'securityContext',
      'terminationGracePeriodSeconds',
    ]);
    expect(Object.keys(values.runners).sort()).toEqual(['config', 'secret']);
  });

  it('rejects file-descriptor limits out of range', () => {
    expect(() =>
      renderRunnerDeployment(options({ fileDescriptorLimit: 2_000_000 })),
    ).toThrow(/fileDescriptorLimit 2000000 must be an integer from 1024 to 1048576/);
    expect(() =>
      renderRunnerDeployment(options({ fileDescriptorLimit: 100 })),
    ).toThrow(/fileDescriptorLimit 100/);
  });
});

describe('renderRunnerDeployment injection', () => {
  const hostileNames = [
    'x"\n[[runners]]\nname = "evil"\nprivileged = true',
    "x'''\nprivileged = true\n'''",
    'x\\"] privileged = true #',
    'x"\r\n[runners.kubernetes]\r\nprivileged = true',
    'multi: yaml\n---\nrunnerRegistrationToken: stolen',
    '# comment\u2028line separator\u0000nul',
  ];

  it.each(hostileNames)('keeps hostile runner name %j as one value', name => {
    const rendered = renderRunnerDeployment(options({ runnerName: name }));
    const { values, config } = roundTrip(rendered);

    expect(config.runners).toHaveLength(1);
    expect(config.runners[0].name).toBe(name);
    expect(config.runners[0].kubernetes.privileged).toBe(false);
    expect(Object.keys(config.runners[0]).sort()).toEqual([
      'executor',
      'feature_flags',
      'kubernetes',
      'name',
      'pre_build_script',
    ]);
    expect(values.runnerRegistrationToken).toBeUndefined();
    expect(Object.keys(values.runners).sort()).toEqual(['config', 'secret']);
  });

  it('keeps hostile pool data from the catalog as values', () => {
    const hostilePool = poolNamed('pool-gpu');
    hostilePool.name = 'gpu"\n[runners.kubernetes]\nprivileged = true';
    hostilePool.accelerator!.resourceName = 'nvidia.com/gpu": 99\n  x: "';
    const { config } = roundTrip(renderRunnerDeployment(options({ pool: hostilePool })));
    const kubernetes = config.runners[0].kubernetes;

    expect(kubernetes.privileged).toBe(false);
    expect(kubernetes.node_selector['runner-fleet.io/pool']).toBe(hostilePool.name);
    const patch = parseYaml(kubernetes.pod_spec[0].patch);
    expect(Object.keys(patch.containers[0].resources.limits)).toEqual([
      hostilePool.accelerator!.resourceName,
    ]);
  });

  it('rejects Helm template syntax in text that tpl would run', () => {
    expect(() =>
      renderRunnerDeployment(options({ runnerName: '{{ .Values.runnerToken }}' })),
    ).toThrow(/runners\[0\]\.name must not contain \{\{ or \}\}/);
    expect(() =>
      renderRunnerDeployment(options({ defaultImage: 'alpine}}' })),
    ).toThrow(/runners\[0\]\.kubernetes\.image/);
  });
});
