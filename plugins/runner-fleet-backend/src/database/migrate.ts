import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@runner-fleet/plugin-runner-fleet-backend',
  'migrations',
);

/** Applies the plugin's knex migrations from the package's `migrations` folder. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: migrationsDir,
    tableName: 'runner_fleet_knex_migrations',
    loadExtensions: ['.js'],
  });
}

/** Converts a bigint column value, which PostgreSQL returns as a string, to a number. */
export function toNumber(value: unknown): number {
  return typeof value === 'string' ? Number(value) : (value as number);
}

/** Like {@link toNumber}, keeping null and undefined as undefined. */
export function toOptionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : toNumber(value);
}
