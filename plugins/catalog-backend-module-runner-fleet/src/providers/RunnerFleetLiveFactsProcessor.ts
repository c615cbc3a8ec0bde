import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  RUNNER_FLEET_TYPE,
} from '@runner-fleet/plugin-runner-fleet-common';
import { toSpecValue } from '../lib/entities';
import type { LiveFactsStore } from '../lib/liveFactsStore';

/**
 * Merges the live facts of the last complete sync into declared fleets
 * (`Resource` entities of type `gitlab-runner-fleet` without the
 * `runner-fleet.io/discovered` annotation). The facts replace `spec.live`
 * and the provider's name goes into `runner-fleet.io/provider`. Fleets with
 * no stored facts pass through unchanged.
 * @public
 */
export class RunnerFleetLiveFactsProcessor implements CatalogProcessor {
  constructor(
    private readonly options: { store: LiveFactsStore; logger: LoggerService },
  ) {}

  getProcessorName(): string {
    return 'RunnerFleetLiveFactsProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (
      entity.kind.toLocaleLowerCase('en-US') !== 'resource' ||
      entity.spec?.type !== RUNNER_FLEET_TYPE ||
      entity.metadata.annotations?.[ANNOTATIONS.discovered] === 'true'
    ) {
      return entity;
    }

    const ref = stringifyEntityRef(entity);
    let stored;
    try {
      stored = await this.options.store.read(ref);
    } catch (error) {
      // A cache outage must not block catalog processing; the entity keeps
      // its declared content until the next pass.
      this.options.logger.warn(
        `Could not read live facts of ${ref}: ${(error as Error).message}`,
      );
      return entity;
    }
    if (!stored) {
      return entity;
    }

    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATIONS.provider]: stored.provider,
        },
      },
      spec: { ...entity.spec, live: toSpecValue(stored.facts) },
    };
  }
}
