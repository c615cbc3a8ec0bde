import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { MAX_FILE_DESCRIPTOR_LIMIT } from './helmValues';
import {
  type Zod,
  descriptionSchema,
  entityRefInputSchema,
  namespacePathSchema,
  tagListSchema,
} from './validation';

/** Input fields shared by the actions that act on a runner request. */
export const hostField = (z: Zod) =>
  z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, 'must be a host name such as gitlab.example.org')
    .optional()
    .describe(
      'GitLab host from integrations.gitlab; defaults to the first configured GitLab integration',
    );

export const poolField = (z: Zod) =>
  entityRefInputSchema(z).describe(
    'Entity reference of the hardware-pool resource, for example resource:default/pool-gpu',
  );

export const targetFields = (z: Zod) => ({
  targetKind: z
    .enum(['project', 'group'])
    .describe('Whether the runner serves one GitLab project or a whole group'),
  targetPath: namespacePathSchema(z).describe(
    'Full path of the GitLab project or group, for example physics/atlas-analysis',
  ),
});

export const resourceFields = (z: Zod) => ({
  cpu: z
    .number()
    .positive()
    .max(512)
    .default(2)
    .describe('vCPUs requested for each job; at most one node of the pool'),
  memoryGiB: z
    .number()
    .positive()
    .max(4096)
    .default(4)
    .describe('Memory in GiB requested for each job; at most one node of the pool'),
  accelerators: z
    .number()
    .int()
    .min(0)
    .max(16)
    .default(0)
    .describe('GPUs or FPGAs per job; at most the accelerators on one node of the pool'),
  cvmfs: z
    .boolean()
    .default(false)
    .describe('Mount /cvmfs from the node into job pods, read-only'),
});

export const runnerDescriptionField = (z: Zod) =>
  descriptionSchema(z).describe(
    'Runner description in GitLab and runner name in config.toml; one line, no {{ or }}',
  );

export const tagsField = (z: Zod) => tagListSchema(z);

export const renderTuningFields = (z: Zod) => ({
  concurrent: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe('Maximum jobs the runner manager runs at once (chart value concurrent)'),
  fileDescriptorLimit: z
    .number()
    .int()
    .min(1024)
    .max(MAX_FILE_DESCRIPTOR_LIMIT)
    .default(65536)
    .describe(
      'File-descriptor limit (ulimit -n) set before each job; containerd leaves it unlimited, which makes CentOS 7 tools crawl',
    ),
  honorEntrypoint: z
    .boolean()
    .default(false)
    .describe('Run image ENTRYPOINTs (FF_KUBERNETES_HONOR_ENTRYPOINT); off by default'),
  dropAllCapabilities: z
    .boolean()
    .default(false)
    .describe('Drop all Linux capabilities from job containers instead of NET_RAW only'),
  defaultImage: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._\-/:@]*$/,
      'must be an image reference such as alpine:3.20',
    )
    .max(255)
    .default('alpine:3.20')
    .describe('Image for jobs that do not name one'),
});

/**
 * Returns `host`, or the first `integrations.gitlab` host when it is absent.
 * Throws an `InputError` when no GitLab integration is configured.
 */
export function resolveGitlabHost(
  integrations: ScmIntegrationRegistry,
  host: string | undefined,
): string {
  if (host) {
    return host;
  }
  const first = integrations.gitlab.list()[0];
  if (!first) {
    throw new InputError(
      'host is missing and integrations.gitlab is empty; configure a GitLab integration',
    );
  }
  return first.config.host;
}
