import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import type {
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { RunnerFleetEntitiesProcessor } from './RunnerFleetEntitiesProcessor';

const examplesDir = path.resolve(
  __dirname,
  '../../../../examples/runner-fleet',
);
const exampleFiles = [
  'all.yaml',
  'org.yaml',
  'pools.yaml',
  'clusters.yaml',
  'fleets.yaml',
  'projects.yaml',
];

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

function loadFile(file: string): Entity[] {
  const text = fs.readFileSync(path.join(examplesDir, file), 'utf8');
  return parseAllDocuments(text).map(document => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Entity;
  });
}

interface Processed {
  entities: Entity[];
  relations: Set<string>;
  errors: string[];
}

/** Runs every example entity through the catalog's policies, the built-in kinds processor and ours. */
async function processExamples(now: Date): Promise<Processed> {
  const builtin = new BuiltinKindsEntityProcessor();
  const runnerFleet = new RunnerFleetEntitiesProcessor({ now: () => now });
  const entities: Entity[] = [];
  const relations = new Set<string>();
  const errors: string[] = [];

  for (const file of exampleFiles) {
    const location: LocationSpec = {
      type: 'file',
      target: path.join(examplesDir, file),
    };
    for (const raw of loadFile(file)) {
      const entity = (await policy.enforce(raw)) as Entity;
      expect(await builtin.validateEntityKind(entity)).toBe(true);
      const emit = (result: CatalogProcessorResult) => {
        if (result.type === 'relation') {
          const { source, type, target } = result.relation;
          relations.add(
            `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(
              target,
            )}`,
          );
        } else if (result.type === 'error') {
          errors.push(`${file}: ${result.error.message}`);
        }
      };
      await builtin.postProcessEntity(entity, location, emit);
      await runnerFleet.postProcessEntity(entity, location, emit);
      entities.push(entity);
    }
  }
  return { entities, relations, errors };
}

describe('example catalog', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  let processed: Processed;

  beforeAll(async () => {
    processed = await processExamples(now);
  });

  it('has no processing errors', () => {
    expect(processed.errors).toEqual([]);
  });

  it('has unique entity references', () => {
    const refs = processed.entities.map(e => stringifyEntityRef(e));
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('lists every file in the location', () => {
    const location = processed.entities.find(e => e.kind === 'Location');
    expect(location?.spec?.targets).toEqual(
      exampleFiles.filter(f => f !== 'all.yaml').map(f => `./${f}`),
    );
  });

  it('relates only entities that exist', () => {
    const known = new Set(processed.entities.map(e => stringifyEntityRef(e)));
    for (const relation of processed.relations) {
      const [source, , target] = relation.split(' ');
      expect({ relation, source: known.has(source) }).toEqual({
        relation,
        source: true,
      });
      expect({ relation, target: known.has(target) }).toEqual({
        relation,
        target: true,
      });
    }
  });

  it('has the documented fleets, clusters and pools', () => {
    const names = (type: string) =>
      processed.entities
        .filter(e => e.kind === 'Resource' && e.spec?.type === type)
        .map(e => e.metadata.name)
        .sort();

    expect(names('gitlab-runner-fleet')).toEqual([
      'fleet-docker-machine',
      'fleet-k8s-arm',
      'fleet-k8s-cvmfs',
      'fleet-k8s-default',
      'fleet-k8s-fpga',
      'fleet-k8s-gpu',
      'fleet-k8s-spark',
      'fleet-k8s-technical-network',
      'fleet-qa-k8s-default',
    ]);
    expect(names('kubernetes-cluster')).toEqual([
      'cluster-arm',
      'cluster-cvmfs',
      'cluster-default-v2',
      'cluster-default-v3',
      'cluster-fpga',
      'cluster-gpu',
      'cluster-qa',
      'cluster-spark',
      'cluster-technical-network',
    ]);
    expect(names('hardware-pool')).toEqual([
      'pool-arm64',
      'pool-fpga',
      'pool-general-x86',
      'pool-gpu',
      'pool-spark',
      'pool-technical-network',
    ]);
  });

  it('gives every cluster loopback Kubernetes plugin annotations', () => {
    const clusters = processed.entities.filter(
      e => e.spec?.type === 'kubernetes-cluster',
    );
    for (const cluster of clusters) {
      const annotations = cluster.metadata.annotations ?? {};
      const apiServer = new URL(annotations['kubernetes.io/api-server']);
      expect(apiServer.protocol).toBe('https:');
      expect(apiServer.hostname).toBe('127.0.0.1');
      const ca = Buffer.from(
        annotations['kubernetes.io/api-server-certificate-authority'],
        'base64',
      ).toString('utf8');
      expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(annotations['kubernetes.io/auth-provider']).toBeTruthy();
      expect(annotations['kubernetes.io/skip-metrics-lookup']).toBe('true');
    }
  });

  it('links a project through fleet and cluster to a pool', () => {
    const chain = [
      'component:default/acts dependsOn resource:default/fleet-k8s-cvmfs',
      'resource:default/fleet-k8s-cvmfs dependsOn resource:default/cluster-cvmfs',
      'resource:default/cluster-cvmfs dependsOn resource:default/pool-general-x86',
      'resource:default/pool-general-x86 dependencyOf resource:default/cluster-cvmfs',
      'resource:default/cluster-cvmfs dependencyOf resource:default/fleet-k8s-cvmfs',
      'resource:default/fleet-k8s-cvmfs dependencyOf component:default/acts',
    ];
    for (const relation of chain) {
      expect(processed.relations).toContain(relation);
    }
  });

  it('relates annotated projects to their fleets', () => {
    expect(processed.relations).toContain(
      'component:default/ipbus-firmware dependsOn resource:default/fleet-k8s-fpga',
    );
    expect(processed.relations).toContain(
      'resource:default/fleet-docker-machine dependencyOf component:default/dd4hep',
    );
  });

  it('shows the default fleet on both upgrade clusters', () => {
    expect(processed.relations).toContain(
      'resource:default/fleet-k8s-default dependsOn resource:default/cluster-default-v2',
    );
    expect(processed.relations).toContain(
      'resource:default/fleet-k8s-default dependsOn resource:default/cluster-default-v3',
    );
    expect(processed.relations).toContain(
      'resource:default/cluster-default-v3 dependsOn resource:default/pool-general-x86',
    );
  });

  it('lends the QA fleet to the default fleet', () => {
    expect(processed.relations).toContain(
      'resource:default/fleet-qa-k8s-default lentTo resource:default/fleet-k8s-default',
    );
    expect(processed.relations).toContain(
      'resource:default/fleet-k8s-default borrowsFrom resource:default/fleet-qa-k8s-default',
    );
  });

  it('ends the QA lend after its expiry', async () => {
    const later = await processExamples(new Date('2027-02-01T00:00:00Z'));
    const lendRelations = [...later.relations].filter(r =>
      / (lentTo|borrowsFrom) /.test(r),
    );
    expect(lendRelations).toEqual([]);
  });

  it('gives every project a fleet and an owner group', () => {
    const projects = processed.entities.filter(e => e.kind === 'Component');
    expect(
      projects.map(p => p.metadata.annotations?.['gitlab.com/project-slug']),
    ).toEqual([
      'physics/mc-production',
      'physics/dd4hep',
      'physics/acts',
      'ml/traccc',
      'hardware/ipbus-firmware',
      'software/gitlab-runner',
    ]);
    for (const project of projects) {
      const ref = stringifyEntityRef(project);
      const fleets = [...processed.relations].filter(r =>
        r.startsWith(`${ref} dependsOn resource:default/fleet-`),
      );
      expect({ ref, fleets: fleets.length > 0 }).toEqual({ ref, fleets: true });
      expect(processed.relations).toContain(
        `${ref} ownedBy group:default/${
          project.metadata.annotations?.['gitlab.com/project-slug']?.split(
            '/',
          )[0]
        }`,
      );
    }
  });
});
