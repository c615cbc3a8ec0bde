import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  HARDWARE_POOL_TYPE,
  RUNNER_FLEET_TYPE,
} from '@runner-fleet/plugin-runner-fleet-common';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { z as zod } from 'zod/v3';
import {
  authorizeFleetChange,
  loadFleet,
  normalizeResourceRef,
  updateEntityInWorkspaceFile,
} from '../lib/fleets';
import { renderRunnerDeployment } from '../lib/helmValues';
import {
  hostField,
  renderTuningFields,
  resolveGitlabHost,
  resourceFields,
} from '../lib/inputs';
import { runnerSlug } from '../lib/naming';
import { checkRequestWithinPool, toHardwarePool } from '../lib/pools';
import {
  type Zod,
  entityRefInputSchema,
  parseActionInput,
} from '../lib/validation';
import type { RunnerFleetActionOptions } from './configRender';
import { examples } from './fleetAddCluster.examples';

const inputSchema = (z: Zod) =>
  z.object({
    host: hostField(z),
    fleet: entityRefInputSchema(z).describe(
      'Fleet that gets the new cluster, for example resource:default/fleet-k8s-default',
    ),
    cluster: entityRefInputSchema(z).describe(
      'New kubernetes-cluster resource, for example resource:default/cluster-default-v3',
    ),
    drainCluster: entityRefInputSchema(z)
      .optional()
      .describe('Cluster of the fleet to drain and decommission once the new one runs jobs'),
    fleetEntityPath: z
      .string()
      .min(1)
      .describe('Workspace path of the catalog file that declares the fleet'),
    ...resourceFields(z),
    ...renderTuningFields(z),
  });

const outputSchema = (z: Zod) =>
  z.object({
    directory: z.string().describe('Workspace directory with values.yaml and runner.yaml for the new cluster'),
    drainSteps: z.array(z.string()).describe('Ordered steps to drain and decommission the old cluster'),
    mergeRequestDescription: z.string().describe('Markdown description for the merge request'),
  });

function drainStepsFor(
  fleetRef: string,
  tags: string[],
  newCluster: string,
  oldCluster: string | undefined,
): string[] {
  const steps = [
    `Merge this merge request; the pipeline creates the instance runner "${tags.join(', ')}" for ${newCluster} and installs the chart there.`,
    `Check in Backstage or GitLab that the new runner on ${newCluster} is online and finishes jobs.`,
  ];
  if (!oldCluster) {
    return steps;
  }
  return [
    ...steps,
    `Pause the runners of ${oldCluster} (PUT /runners/:id with paused=true) so they take no new jobs; the new cluster has the same tags, so jobs move over without a gap.`,
    `Wait until the runners of ${oldCluster} have no running jobs (GET /runners/:id/jobs?status=running is empty); the chart's terminationGracePeriodSeconds of 3600 bounds the wait for jobs cut by a pod restart.`,
    `Uninstall the gitlab-runner release on ${oldCluster} and delete its runners in GitLab (DELETE /runners/:id).`,
    `Remove ${oldCluster} from spec.clusters of ${fleetRef} in a follow-up merge request, and mark the cluster resource decommissioned.`,
  ];
}

/**
 * Creates `runner-fleet:fleet:add-cluster`, the first half of a zero-downtime
 * cluster upgrade. It adds the new cluster to the fleet's catalog file as
 * `active` and marks the old one `draining`. For the new cluster it renders
 * chart values and an instance runner declaration with the fleet's tags.
 * It returns the drain-and-decommission steps for the old cluster.
 * @public
 */
export function createFleetAddClusterAction(options: RunnerFleetActionOptions) {
  const { catalog, integrations, permissions } = options;
  return createTemplateAction({
    id: 'runner-fleet:fleet:add-cluster',
    description:
      'Adds a cluster to a fleet with the same tags, renders its runner deployment and lists the steps to drain the old cluster',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const credentials = await ctx.getInitiatorCredentials();
      const fleet = await loadFleet(catalog, input.fleet, 'fleet', credentials);
      await authorizeFleetChange({ permissions, credentials, user: ctx.user, fleet });

      const clusterRef = normalizeResourceRef(input.cluster, 'cluster');
      const cluster = await catalog.getEntityByRef(clusterRef, { credentials });
      if (!cluster) {
        throw new NotFoundError(`cluster ${clusterRef} was not found in the catalog`);
      }
      const fleetClusters = (fleet.spec.clusters ?? []).map(c =>
        normalizeResourceRef(c.ref, 'fleet cluster'),
      );
      if (fleetClusters.includes(clusterRef)) {
        throw new InputError(`cluster ${clusterRef} already belongs to ${fleet.ref}`);
      }
      const drainRef = input.drainCluster
        ? normalizeResourceRef(input.drainCluster, 'drainCluster')
        : undefined;
      if (drainRef && !fleetClusters.includes(drainRef)) {
        throw new InputError(
          `drainCluster ${drainRef} is not a cluster of ${fleet.ref}; pick one of ${fleetClusters.join(', ') || 'none'}`,
        );
      }

      const [{ items: pools }, { items: fleets }] = await Promise.all([
        catalog.getEntities(
          { filter: { kind: 'resource', 'spec.type': HARDWARE_POOL_TYPE } },
          { credentials },
        ),
        catalog.getEntities(
          { filter: { kind: 'resource', 'spec.type': RUNNER_FLEET_TYPE } },
          { credentials },
        ),
      ]);
      const poolEntity = pools.find(p =>
        ((p.spec as { clusters?: string[] }).clusters ?? []).some(
          ref => normalizeResourceRef(ref, 'pool cluster') === clusterRef,
        ),
      );
      if (!poolEntity) {
        throw new InputError(
          `cluster ${clusterRef} belongs to no hardware pool; add it to a pool's spec.clusters first`,
        );
      }
      const pool = toHardwarePool(poolEntity, fleets);
      checkRequestWithinPool(pool, input);

      const host = resolveGitlabHost(integrations, input.host);
      const gitlabUrl = integrations.gitlab.byHost(host)?.config.baseUrl ?? `https://${host}`;
      const tag = fleet.spec.tags[0] ?? fleet.name;
      const runnerName = `${tag} @ ${cluster.metadata.name}`;
      const secretName = `gitlab-runner-${runnerSlug(fleet.name, cluster.metadata.name, 'gitlab-runner-'.length)}`;
      const rendered = renderRunnerDeployment({
        gitlabUrl,
        runnerName,
        secretName,
        pool,
        concurrent: input.concurrent,
        resources: { cpu: input.cpu, memoryGiB: input.memoryGiB, accelerators: input.accelerators },
        cvmfs: input.cvmfs || Boolean(fleet.spec.features?.cvmfs),
        fileDescriptorLimit: input.fileDescriptorLimit,
        honorEntrypoint: input.honorEntrypoint,
        dropAllCapabilities: input.dropAllCapabilities,
        defaultImage: input.defaultImage,
      });

      const directory = `clusters/${cluster.metadata.name}/${fleet.name}`;
      const dir = resolveSafeChildPath(ctx.workspacePath, directory);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'values.yaml'), rendered.valuesYaml, 'utf8');
      await fs.writeFile(
        path.join(dir, 'runner.yaml'),
        stringifyYaml({
          apiVersion: 'runner-fleet.io/v1alpha1',
          kind: 'InstanceRunner',
          fleet: fleet.ref,
          cluster: clusterRef,
          description: runnerName,
          tags: fleet.spec.tags,
          runUntagged: fleet.spec.runUntagged,
          secretName,
        }),
        'utf8',
      );

      await updateEntityInWorkspaceFile(
        ctx.workspacePath,
        input.fleetEntityPath,
        fleet.name,
        document => {
          const clusters = (fleet.spec.clusters ?? []).map(c => {
            const ref = normalizeResourceRef(c.ref, 'fleet cluster');
            return ref === drainRef ? { ...c, role: 'draining' } : c;
          });
          clusters.push({ ref: clusterRef, role: 'active' });
          document.setIn(['spec', 'clusters'], document.createNode(clusters));
        },
      );

      const drainSteps = drainStepsFor(fleet.ref, fleet.spec.tags, clusterRef, drainRef);
      const description = [
        `Adds \`${clusterRef}\` to \`${fleet.ref}\` with the fleet's tags (${fleet.spec.tags
          .map(t => `\`${t}\``)
          .join(', ')}), so jobs can run on both clusters during the upgrade.`,
        '',
        '### Drain and decommission',
        '',
        ...drainSteps.map((step, i) => `${i + 1}. ${step}`),
      ].join('\n');

      ctx.logger.info(`Rendered ${directory} for ${fleet.ref} on ${clusterRef}`);
      ctx.output('directory', directory);
      ctx.output('drainSteps', drainSteps);
      ctx.output('mergeRequestDescription', description);
    },
  });
}
