import {
  type BackstageCredentials,
  type PermissionsService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_MEMBER_OF,
  type UserEntity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  RUNNER_FLEET_TYPE,
  type RunnerFleetSpec,
  runnerFleetSpecSchema,
  runnerRequestPermission,
} from '@runner-fleet/plugin-runner-fleet-common';
import { promises as fs } from 'node:fs';
import { type Document, parseAllDocuments } from 'yaml';

/** A runner fleet read from the catalog. */
export interface Fleet {
  ref: string;
  name: string;
  spec: RunnerFleetSpec;
  /** GitLab runner ids that discovery recorded in `spec.live.runnerIds`. */
  runnerIds: number[];
}

/** Normalises a resource reference to `resource:namespace/name`. */
export function normalizeResourceRef(ref: string, field: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'resource', defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(
      `${field} "${ref}" is not an entity reference; use one such as resource:default/fleet-k8s-default`,
    );
  }
}

/**
 * Reads a runner fleet from the catalog with the initiator's credentials.
 * Throws `NotFoundError` or `InputError` naming `field` when it is missing or
 * not a valid fleet.
 */
export async function loadFleet(
  catalog: CatalogService,
  ref: string,
  field: string,
  credentials: BackstageCredentials,
): Promise<Fleet> {
  const normalized = normalizeResourceRef(ref, field);
  const entity = await catalog.getEntityByRef(normalized, { credentials });
  if (!entity) {
    throw new NotFoundError(`${field} ${normalized} was not found in the catalog`);
  }
  if ((entity.spec as { type?: unknown } | undefined)?.type !== RUNNER_FLEET_TYPE) {
    throw new InputError(`${field} ${normalized} is not a ${RUNNER_FLEET_TYPE} resource`);
  }
  const parsed = runnerFleetSpecSchema.safeParse(entity.spec);
  if (!parsed.success) {
    throw new InputError(
      `${field} ${normalized} has an invalid spec (${parsed.error.issues
        .map(i => `spec.${i.path.join('.')}: ${i.message}`)
        .join('; ')}); ask its owner to fix the catalog entity`,
    );
  }
  const live = (entity.spec as { live?: { runnerIds?: unknown } }).live;
  const runnerIds = Array.isArray(live?.runnerIds)
    ? live!.runnerIds.filter((id): id is number => typeof id === 'number')
    : [];
  return {
    ref: normalized,
    name: entity.metadata.name,
    spec: parsed.data,
    runnerIds,
  };
}

/**
 * Checks that the initiator may change `fleet`: the permission framework must
 * allow `runner-fleet.runner.request` and the user must be a member of the
 * fleet's owner group in the catalog (or be the owner).
 * Throws `NotAllowedError` with the reason otherwise.
 */
export async function authorizeFleetChange(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  user?: { entity?: UserEntity; ref?: string };
  fleet: Fleet;
}): Promise<void> {
  const { permissions, credentials, user, fleet } = options;
  const userLabel = user?.ref ?? 'the task initiator';
  const [decision] = await permissions.authorize(
    [{ permission: runnerRequestPermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${userLabel} may not change fleets: the permission policy denied ${runnerRequestPermission.name}`,
    );
  }
  const owner = stringifyEntityRef(
    parseEntityRef(fleet.spec.owner, { defaultKind: 'group', defaultNamespace: 'default' }),
  );
  const userRef = user?.entity ? stringifyEntityRef(user.entity) : user?.ref;
  const groups = (user?.entity?.relations ?? [])
    .filter(r => r.type === RELATION_MEMBER_OF)
    .map(r => r.targetRef);
  if (userRef !== owner && !groups.includes(owner)) {
    throw new NotAllowedError(
      `${userLabel} is not a member of ${owner}, which owns ${fleet.ref}; ask a member of that group`,
    );
  }
}

/**
 * Finds the YAML document that declares entity `name` in a catalog file.
 * Throws an `InputError` naming the file when it is absent.
 */
function findEntityDocument(text: string, name: string, file: string) {
  const documents = parseAllDocuments(text);
  for (const document of documents) {
    if ('errors' in document && document.errors.length > 0) {
      throw new InputError(
        `${file} is not valid YAML: ${document.errors[0].message}`,
      );
    }
    const entity = document.toJS() as Entity | null;
    if (entity?.metadata?.name === name) {
      return { documents, document };
    }
  }
  throw new InputError(
    `${file} declares no entity named ${name}; check fleetEntityPath`,
  );
}

/**
 * Updates the document that declares entity `name` in the workspace catalog
 * file `fleetEntityPath` and writes every document of the file back. Throws
 * an `InputError` when the file is missing, is not valid YAML or declares no
 * such entity.
 */
export async function updateEntityInWorkspaceFile(
  workspacePath: string,
  fleetEntityPath: string,
  name: string,
  update: (document: Document.Parsed) => void,
): Promise<void> {
  const entityFile = resolveSafeChildPath(workspacePath, fleetEntityPath);
  let text: string;
  try {
    text = await fs.readFile(entityFile, 'utf8');
  } catch {
    throw new InputError(
      `fleetEntityPath ${fleetEntityPath} does not exist in the workspace; fetch the infrastructure repository first`,
    );
  }
  const { documents, document } = findEntityDocument(text, name, fleetEntityPath);
  update(document);
  await fs.writeFile(entityFile, documents.map(d => d.toString()).join(''), 'utf8');
}
