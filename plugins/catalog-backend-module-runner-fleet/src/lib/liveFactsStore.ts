import type { CacheService } from '@backstage/backend-plugin-api';
import type { FleetLiveFacts } from '@runner-fleet/plugin-runner-fleet-common';

/** Live facts of one declared fleet and the provider that computed them. */
export interface StoredLiveFacts {
  provider: string;
  facts: FleetLiveFacts;
}

/**
 * Hands live facts of declared fleets from the provider, which computes them
 * on one backend instance, to the processor, which merges them into the
 * entities on whichever instance processes them.
 */
export interface LiveFactsStore {
  /** Stores the facts of each fleet, keyed by lower-case entity reference. */
  write(provider: string, facts: Map<string, FleetLiveFacts>): Promise<void>;
  read(entityRef: string): Promise<StoredLiveFacts | undefined>;
}

/**
 * How long stored facts outlive the provider's last complete sync. Long, so
 * that a GitLab outage keeps the last good facts; `syncedAt` shows readers
 * how old they are.
 */
export const LIVE_FACTS_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const KEY_PREFIX = 'runner-fleet:live-facts:';

type CacheValue = Parameters<CacheService['set']>[1];

/**
 * A {@link LiveFactsStore} on the catalog plugin's cache service. With a
 * shared cache (Redis, Valkey, Memcache) every backend instance reads the
 * same facts; with the default in-memory cache only the instance that ran
 * the sync has them.
 */
export class CacheLiveFactsStore implements LiveFactsStore {
  constructor(private readonly cache: CacheService) {}

  async write(
    provider: string,
    facts: Map<string, FleetLiveFacts>,
  ): Promise<void> {
    await Promise.all(
      [...facts].map(([ref, value]) =>
        this.cache.set(
          `${KEY_PREFIX}${ref.toLocaleLowerCase('en-US')}`,
          { provider, facts: value } as unknown as CacheValue,
          { ttl: LIVE_FACTS_TTL_MS },
        ),
      ),
    );
  }

  async read(entityRef: string): Promise<StoredLiveFacts | undefined> {
    const stored = await this.cache.get(
      `${KEY_PREFIX}${entityRef.toLocaleLowerCase('en-US')}`,
    );
    return stored as StoredLiveFacts | undefined;
  }
}

/** A {@link LiveFactsStore} in process memory, for tests and single-instance setups. */
export class MemoryLiveFactsStore implements LiveFactsStore {
  private readonly entries = new Map<string, StoredLiveFacts>();

  async write(
    provider: string,
    facts: Map<string, FleetLiveFacts>,
  ): Promise<void> {
    for (const [ref, value] of facts) {
      this.entries.set(ref.toLocaleLowerCase('en-US'), {
        provider,
        facts: value,
      });
    }
  }

  async read(entityRef: string): Promise<StoredLiveFacts | undefined> {
    return this.entries.get(entityRef.toLocaleLowerCase('en-US'));
  }
}
