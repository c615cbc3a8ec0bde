import { InputError } from '@backstage/errors';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { stringify as stringifyYaml } from 'yaml';
import type { HardwarePool } from './pools';

/**
 * Placeholder that the gitlab-runner chart expands through Helm's `tpl`;
 * it is the only template expression the renderer writes on purpose.
 */
export const RELEASE_NAMESPACE_TEMPLATE = '{{.Release.Namespace}}';

/** Highest file-descriptor limit the pre-build script may set. */
export const MAX_FILE_DESCRIPTOR_LIMIT = 1048576;

/** Options for {@link renderRunnerDeployment}. */
export interface RenderOptions {
  /** GitLab instance URL the runner manager connects to. */
  gitlabUrl: string;
  /** Runner name in config.toml; the runner description in GitLab. */
  runnerName: string;
  /** Kubernetes Secret with the `runner-token` key, created by the deployment pipeline. */
  secretName: string;
  pool: HardwarePool;
  /** Maximum jobs the runner manager runs at once. */
  concurrent: number;
  /** Default resources of each job's build container. */
  resources: { cpu: number; memoryGiB: number; accelerators: number };
  /** Mounts /cvmfs from the node, read-only. */
  cvmfs: boolean;
  /** `ulimit -n` that the pre-build script sets. */
  fileDescriptorLimit: number;
  /** Sets FF_KUBERNETES_HONOR_ENTRYPOINT so image entrypoints run. */
  honorEntrypoint: boolean;
  /** Drops all Linux capabilities instead of NET_RAW only. */
  dropAllCapabilities: boolean;
  /** Image for jobs that name none. */
  defaultImage: string;
}

/** Chart values, the config.toml inside them and both as text. */
export interface RenderedDeployment {
  values: Record<string, unknown>;
  /** The `[[runners]]` section, as the chart's `runners.config` value. */
  configToml: string;
  valuesYaml: string;
}

/** Formats vCPUs as a Kubernetes quantity: whole CPUs or millicores. */
export function cpuQuantity(cpu: number): string {
  if (Number.isInteger(cpu)) {
    return String(cpu);
  }
  return `${Math.round(cpu * 1000)}m`;
}

/** Formats GiB as a Kubernetes quantity: `Gi` or, for fractions, `Mi`. */
export function memoryQuantity(memoryGiB: number): string {
  if (Number.isInteger(memoryGiB)) {
    return `${memoryGiB}Gi`;
  }
  return `${Math.round(memoryGiB * 1024)}Mi`;
}

/**
 * Throws when a string anywhere in `value` contains a Helm template
 * delimiter, except for the namespace placeholder at `allowedPath`.
 * The chart passes `runners.config` through `tpl`, so such a string would run
 * as template code in the deployment pipeline.
 */
function assertNoTemplateSyntax(
  value: unknown,
  path: string,
  allowedPath: string,
): void {
  if (typeof value === 'string') {
    if (path !== allowedPath && /\{\{|\}\}/.test(value)) {
      throw new InputError(
        `${path} must not contain {{ or }}; Helm would run it as a template (value ${JSON.stringify(value)})`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      assertNoTemplateSyntax(item, `${path}[${i}]`, allowedPath),
    );
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      assertNoTemplateSyntax(key, `key of ${childPath}`, allowedPath);
      assertNoTemplateSyntax(item, childPath, allowedPath);
    }
  }
}

/** Serialises plain data with sorted keys, so key order and prototypes do not matter. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map(k => [k, (item as Record<string, unknown>)[k]]),
      );
    }
    return item;
  });
}

function buildContainerPatch(
  resourceName: string,
  count: number,
): Record<string, unknown> {
  const amount = String(count);
  return {
    containers: [
      {
        name: 'build',
        resources: {
          requests: { [resourceName]: amount },
          limits: { [resourceName]: amount },
        },
      },
    ],
  };
}

/** Builds the `[[runners]]` entry of config.toml for the Kubernetes executor. */
function buildRunnerConfig(options: RenderOptions): Record<string, unknown> {
  const { pool, resources } = options;

  const nodeSelector: Record<string, string> = {
    'kubernetes.io/arch': pool.spec.architecture,
    'runner-fleet.io/pool': pool.name,
  };
  // Dedicated pools taint their nodes with the pool name; the toleration is
  // harmless on untainted nodes.
  const nodeTolerations: Record<string, string> = {
    [`runner-fleet.io/pool=${pool.name}`]: 'NoSchedule',
  };

  const podSpecPatches: Array<Record<string, unknown>> = [];
  if (pool.accelerator && resources.accelerators > 0) {
    nodeTolerations[pool.accelerator.resourceName] = 'NoSchedule';
    podSpecPatches.push({
      name: `${pool.accelerator.type}-resources`,
      patch_type: 'strategic',
      patch: stringifyYaml(
        buildContainerPatch(
          pool.accelerator.resourceName,
          resources.accelerators,
        ),
      ),
    });
  }

  const featureFlags: Record<string, boolean> = {};
  if (podSpecPatches.length > 0) {
    // `pod_spec` patches are ignored unless this flag is on.
    featureFlags.FF_USE_ADVANCED_POD_SPEC_CONFIGURATION = true;
  }
  if (options.honorEntrypoint) {
    featureFlags.FF_KUBERNETES_HONOR_ENTRYPOINT = true;
  }

  const kubernetes: Record<string, unknown> = {
    namespace: RELEASE_NAMESPACE_TEMPLATE,
    image: options.defaultImage,
    privileged: false,
    allow_privilege_escalation: false,
    cap_drop: options.dropAllCapabilities ? ['ALL'] : ['NET_RAW'],
    cpu_request: cpuQuantity(resources.cpu),
    cpu_limit: cpuQuantity(resources.cpu),
    memory_request: memoryQuantity(resources.memoryGiB),
    memory_limit: memoryQuantity(resources.memoryGiB),
    // Jobs may raise their requests through KUBERNETES_CPU_REQUEST and
    // friends, but never beyond one node of the pool.
    cpu_request_overwrite_max_allowed: cpuQuantity(pool.limits.cpu),
    cpu_limit_overwrite_max_allowed: cpuQuantity(pool.limits.cpu),
    memory_request_overwrite_max_allowed: memoryQuantity(pool.limits.memoryGiB),
    memory_limit_overwrite_max_allowed: memoryQuantity(pool.limits.memoryGiB),
    helper_cpu_request: '100m',
    helper_memory_request: '128Mi',
    node_selector: nodeSelector,
    node_tolerations: nodeTolerations,
    pod_labels: { 'runner-fleet.io/pool': pool.name },
  };
  if (podSpecPatches.length > 0) {
    kubernetes.pod_spec = podSpecPatches;
  }
  if (options.cvmfs) {
    kubernetes.volumes = {
      host_path: [
        {
          name: 'cvmfs',
          mount_path: '/cvmfs',
          host_path: '/cvmfs',
          read_only: true,
          // Repositories that autofs mounts on the node after the pod
          // started become visible in the container.
          mount_propagation: 'HostToContainer',
        },
      ],
    };
  }

  const runner: Record<string, unknown> = {
    name: options.runnerName,
    executor: 'kubernetes',
    // containerd starts containers with an effectively unlimited
    // RLIMIT_NOFILE; tools in CentOS 7 images (yum, rpm, some daemons) loop
    // over every possible descriptor and crawl, so cap it per job.
    pre_build_script: `ulimit -n ${options.fileDescriptorLimit}`,
    kubernetes,
  };
  if (Object.keys(featureFlags).length > 0) {
    runner.feature_flags = featureFlags;
  }
  return runner;
}

/**
 * Renders values for the `gitlab-runner` Helm chart and the config.toml they
 * carry. Both files are built as data and serialised by a TOML and a YAML
 * library, then parsed back and compared, so no input can add keys or
 * sections. Deprecated chart values (`runnerRegistrationToken`,
 * `runners.tags`, `runners.runUntagged`, `runners.locked`) are never written:
 * tags and locking are set on the runner in GitLab.
 * Throws an `InputError` for out-of-range numbers or template syntax in text.
 */
export function renderRunnerDeployment(
  options: RenderOptions,
): RenderedDeployment {
  if (
    !Number.isInteger(options.fileDescriptorLimit) ||
    options.fileDescriptorLimit < 1024 ||
    options.fileDescriptorLimit > MAX_FILE_DESCRIPTOR_LIMIT
  ) {
    throw new InputError(
      `fileDescriptorLimit ${options.fileDescriptorLimit} must be an integer from 1024 to ${MAX_FILE_DESCRIPTOR_LIMIT}, for example 65536`,
    );
  }
  if (!Number.isInteger(options.concurrent) || options.concurrent < 1) {
    throw new InputError(
      `concurrent ${options.concurrent} must be a positive integer`,
    );
  }

  const configObject = { runners: [buildRunnerConfig(options)] };
  assertNoTemplateSyntax(configObject, '', 'runners[0].kubernetes.namespace');
  const configToml = stringifyToml(configObject);

  const reparsed = parseToml(configToml);
  if (canonicalJson(reparsed) !== canonicalJson(configObject)) {
    throw new Error(
      'Rendered config.toml does not parse back to the same data; refusing to write it',
    );
  }

  const values: Record<string, unknown> = {
    gitlabUrl: options.gitlabUrl,
    concurrent: options.concurrent,
    checkInterval: 3,
    // Lets running jobs finish when a release is upgraded or drained.
    terminationGracePeriodSeconds: 3600,
    rbac: { create: true },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      runAsNonRoot: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    },
    podSecurityContext: { runAsUser: 100, fsGroup: 65533 },
    runners: {
      secret: options.secretName,
      config: configToml,
    },
  };
  assertNoTemplateSyntax(
    { gitlabUrl: options.gitlabUrl, 'runners.secret': options.secretName },
    '',
    '',
  );
  const valuesYaml = stringifyYaml(values, { lineWidth: 0 });

  return { values, configToml, valuesYaml };
}
