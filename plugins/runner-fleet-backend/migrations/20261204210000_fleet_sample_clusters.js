// @ts-check

/**
 * Adds the jobs per cluster of each GitLab sample, so the cluster page can
 * show which cluster behind a fleet takes its jobs during an upgrade.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('fleet_samples', table => {
    table
      .text('clusters_json')
      .nullable()
      .comment('Running and started jobs per cluster as JSON; null when the source has no runner per job');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('fleet_samples', table => {
    table.dropColumn('clusters_json');
  });
};
