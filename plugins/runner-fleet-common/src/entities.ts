import type { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import type { FleetLiveFacts } from './fleetLoad';

/** `spec.type` of a `Resource` entity that describes a GitLab runner fleet. @public */
export const RUNNER_FLEET_TYPE = 'gitlab-runner-fleet';
/** `spec.type` of a `Resource` entity that describes a pool of cluster nodes. @public */
export const HARDWARE_POOL_TYPE = 'hardware-pool';
/** `spec.type` of a `Resource` entity that describes a Kubernetes cluster, as the Kubernetes plugin expects. @public */
export const KUBERNETES_CLUSTER_TYPE = 'kubernetes-cluster';

/**
 * Relation from a fleet that is lent out to the fleet that borrows it,
 * for example a QA fleet lent to production in an emergency.
 * @public
 */
export const RELATION_LENT_TO = 'lentTo';
/** Reverse of {@link RELATION_LENT_TO}. @public */
export const RELATION_BORROWS_FROM = 'borrowsFrom';

/**
 * Annotations written by discovery. Values are strings, as the catalog
 * requires; counts are decimal integers.
 * @public
 */
export const ANNOTATIONS = {
  /** Set on fleets created by discovery rather than declared in the catalog. */
  discovered: 'runner-fleet.io/discovered',
  /** Name of the discovery provider that last enriched the entity. */
  provider: 'runner-fleet.io/provider',
  /**
   * Set on components: comma-separated references of the fleets the
   * project's jobs run on, for example `fleet-k8s-default,fleet-k8s-arm`.
   * Short names resolve to `resource` entities in the component's namespace.
   */
  fleets: 'runner-fleet.io/fleets',
} as const;

/** GitLab Runner executors a fleet can use. @public */
export const EXECUTORS = [
  'kubernetes',
  'docker+machine',
  'docker',
  'docker-autoscaler',
  'shell',
  'instance',
] as const;
/** @public */
export type Executor = (typeof EXECUTORS)[number];

/** Access policy of a fleet: who may run jobs on it. @public */
export const ACCESS_POLICIES = ['open', 'restricted', 'on-request'] as const;
/** @public */
export type AccessPolicy = (typeof ACCESS_POLICIES)[number];

/** Lifecycle stage of a fleet, from plan to decommissioning. @public */
export const FLEET_LIFECYCLES = [
  'planned',
  'opt-in',
  'production',
  'draining',
  'decommissioned',
] as const;
/** @public */
export type FleetLifecycle = (typeof FLEET_LIFECYCLES)[number];

/** Network zone of a fleet's job pods. @public */
export const NETWORK_ZONES = ['general', 'technical-network'] as const;
/** @public */
export type NetworkZone = (typeof NETWORK_ZONES)[number];

/** CPU architectures, with the names Kubernetes uses in `kubernetes.io/arch`. @public */
export const ARCHITECTURES = ['amd64', 'arm64', 'ppc64le', 's390x'] as const;
/** @public */
export type Architecture = (typeof ARCHITECTURES)[number];

/** Role of a cluster behind a fleet during a zero-downtime upgrade. @public */
export const CLUSTER_ROLES = ['active', 'draining', 'standby'] as const;
/** @public */
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

const entityRefSchema = z
  .string()
  .min(1)
  .regex(
    /^(?:[a-zA-Z][a-zA-Z0-9]*:)?(?:[a-zA-Z0-9][a-zA-Z0-9._-]*\/)?[a-zA-Z0-9][a-zA-Z0-9._-]*$/,
    'must be an entity reference such as resource:default/cluster-arm or cluster-arm',
  );

/** A GitLab runner tag: no commas (GitLab splits on them), no whitespace at either end. */
const runnerTagSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/+-]*$/,
    'must start with a letter or digit and contain only letters, digits and . _ : / + -',
  );

/** An accelerator device type and how many a fleet or pool offers. @public */
export const acceleratorSchema = z.strictObject({
  type: z.enum(['gpu', 'fpga']),
  /** Model or board name, for example `NVIDIA A100 80GB` or `AMD Alveo U55C`. */
  model: z.string().min(1),
  count: z.int().min(1),
});
/** @public */
export type Accelerator = z.infer<typeof acceleratorSchema>;

/** `spec` of a `gitlab-runner-fleet` resource. @public */
export const runnerFleetSpecSchema = z.looseObject({
  type: z.literal(RUNNER_FLEET_TYPE),
  owner: entityRefSchema,
  system: entityRefSchema.optional(),
  lifecycle: z.enum(FLEET_LIFECYCLES),
  executor: z.enum(EXECUTORS),
  tags: z.array(runnerTagSchema),
  runUntagged: z.boolean(),
  access: z.enum(ACCESS_POLICIES),
  /** Maximum jobs running at once across the fleet (`concurrent` in config.toml, summed over runner managers). */
  concurrency: z.int().min(0),
  architecture: z.enum(ARCHITECTURES),
  accelerators: z.array(acceleratorSchema).optional(),
  features: z
    .strictObject({
      cvmfs: z
        .strictObject({ repositories: z.array(z.string().min(1)).min(1) })
        .optional(),
      privileged: z.boolean().optional(),
      networkZone: z.enum(NETWORK_ZONES).optional(),
    })
    .optional(),
  /** Clusters the fleet runs on; more than one during a zero-downtime upgrade. */
  clusters: z
    .array(
      z.strictObject({
        ref: entityRefSchema,
        role: z.enum(CLUSTER_ROLES).optional(),
      }),
    )
    .optional(),
  /** Set while the fleet is lent to another fleet, for example QA runners lent to production. */
  lentTo: z
    .strictObject({
      fleet: entityRefSchema,
      until: z.iso.date(),
      reason: z.string().min(1).optional(),
    })
    .optional(),
  /**
   * Facts that discovery writes at each sync. They are not validated here, so
   * a newer discovery format cannot make a declared fleet invalid; readers
   * must treat every field as possibly missing.
   */
  live: z.custom<Partial<FleetLiveFacts>>().optional(),
  /** Hints that match GitLab runners to this fleet, read by the discovery module's mapping. */
  discovery: z
    .strictObject({
      descriptionPattern: z.string().min(1).optional(),
      tags: z.array(runnerTagSchema).optional(),
      systemIds: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});
/** @public */
export type RunnerFleetSpec = z.infer<typeof runnerFleetSpecSchema>;

/** `spec` of a `hardware-pool` resource. @public */
export const hardwarePoolSpecSchema = z.looseObject({
  type: z.literal(HARDWARE_POOL_TYPE),
  owner: entityRefSchema,
  system: entityRefSchema.optional(),
  architecture: z.enum(ARCHITECTURES),
  nodes: z.strictObject({
    count: z.int().min(0),
    /** vCPUs per node. */
    cpu: z.number().positive(),
    /** Memory per node in GiB. */
    memoryGiB: z.number().positive(),
  }),
  accelerators: z.array(acceleratorSchema).optional(),
  clusters: z.array(entityRefSchema).optional(),
});
/** @public */
export type HardwarePoolSpec = z.infer<typeof hardwarePoolSpecSchema>;

/** A `Resource` entity whose spec is a {@link RunnerFleetSpec}. @public */
export type RunnerFleetEntity = Entity & { spec: RunnerFleetSpec };
/** A `Resource` entity whose spec is a {@link HardwarePoolSpec}. @public */
export type HardwarePoolEntity = Entity & { spec: HardwarePoolSpec };

function isResourceOfType(entity: Entity, type: string): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type === type
  );
}

/**
 * Checks kind and `spec.type` only; use `validateRunnerFleetEntity` to check
 * the rest of the spec.
 * @public
 */
export function isRunnerFleetEntity(
  entity: Entity,
): entity is RunnerFleetEntity {
  return isResourceOfType(entity, RUNNER_FLEET_TYPE);
}

/** Checks kind and `spec.type` only. @public */
export function isHardwarePoolEntity(
  entity: Entity,
): entity is HardwarePoolEntity {
  return isResourceOfType(entity, HARDWARE_POOL_TYPE);
}

/** Checks kind and `spec.type` only. @public */
export function isKubernetesClusterEntity(entity: Entity): boolean {
  return isResourceOfType(entity, KUBERNETES_CLUSTER_TYPE);
}

/**
 * Splits the value of the `runner-fleet.io/fleets` annotation into trimmed,
 * non-empty entries, without resolving them to entity references.
 * @public
 */
export function splitFleetsAnnotation(value: string | undefined): string[] {
  if (!value) {
    return [];
  }
  return value
    .split(',')
    .map(part => part.trim())
    .filter(part => part.length > 0);
}
