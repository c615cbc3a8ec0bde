// @ts-check

/**
 * Creates the tables of the Runner Fleet backend. Times are stored as epoch
 * milliseconds in bigint columns so SQLite and PostgreSQL compare them the
 * same way.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('fleet_samples', table => {
    table.comment('Time series of each fleet’s load');
    table.bigIncrements('id');
    table.string('fleet_ref', 255).notNullable();
    table.bigInteger('sampled_at_ms').notNullable();
    table
      .integer('resolution_seconds')
      .notNullable()
      .comment('Seconds between samples: the sampling frequency, or the backfill step');
    table.integer('running_jobs').notNullable();
    table.integer('pending_jobs').notNullable();
    table
      .integer('jobs_started')
      .notNullable()
      .comment('Jobs that started since the previous sample of the fleet');
    table.float('jobs_started_per_minute').notNullable();
    table.float('queue_p50_seconds').notNullable();
    table.float('queue_p90_seconds').notNullable();
    table.float('queue_p99_seconds').notNullable();
    table
      .text('failures_json')
      .notNullable()
      .comment('Failed jobs by failure_reason that finished since the previous sample');
    table.string('source', 16).notNullable();
    table.index(['fleet_ref', 'sampled_at_ms'], 'fleet_samples_fleet_time_idx');
    table.index(['sampled_at_ms'], 'fleet_samples_time_idx');
  });

  await knex.schema.createTable('fleet_state', table => {
    table.comment('Per-fleet bookkeeping of the sampler');
    table.string('fleet_ref', 255).primary();
    table.bigInteger('backfilled_at_ms');
  });

  await knex.schema.createTable('ci_blobs', table => {
    table.comment('CI file contents keyed by git blob id, shared by all projects');
    table.string('blob_id', 80).primary();
    table.text('content').notNullable();
    table.bigInteger('last_used_ms').notNullable();
  });

  await knex.schema.createTable('projects', table => {
    table.comment('GitLab projects with their latest migration scorecard');
    table.bigIncrements('id');
    table.string('project_path', 512).notNullable().unique();
    table.integer('gitlab_id').nullable();
    table.string('entity_ref', 512).nullable();
    table.string('owner_ref', 512).nullable();
    table.string('group_path', 255).notNullable();
    table.string('source', 16).notNullable();
    table.text('web_url').nullable();
    table.string('default_branch', 255).nullable();
    table.string('ci_config_path', 512).nullable();
    table.bigInteger('seen_at_ms').notNullable();
    table.bigInteger('due_at_ms').notNullable();
    table.bigInteger('locked_until_ms').nullable();
    table.string('claimed_by', 64).nullable();
    table
      .text('fingerprint_json')
      .nullable()
      .comment('Commit and blob ids of the CI files behind the latest result');
    table.text('evidence_json').nullable();
    table.bigInteger('evidence_at_ms').nullable();
    table.integer('score').nullable();
    table.string('level', 16).nullable();
    table.string('phase', 16).nullable();
    table.integer('blocker_count').notNullable().defaultTo(0);
    table.integer('warning_count').notNullable().defaultTo(0);
    table.integer('info_count').notNullable().defaultTo(0);
    table.integer('config_error_count').notNullable().defaultTo(0);
    table.bigInteger('evaluated_at_ms').nullable();
    table.text('scorecard_json').nullable();
    table.text('error').nullable();
    table.index(['due_at_ms'], 'projects_due_idx');
    table.index(['entity_ref'], 'projects_entity_idx');
    table.index(['gitlab_id'], 'projects_gitlab_id_idx');
    table.index(['owner_ref'], 'projects_owner_idx');
    table.index(['group_path'], 'projects_group_idx');
    table.index(['phase'], 'projects_phase_idx');
    table.index(['level'], 'projects_level_idx');
    table.index(['score'], 'projects_score_idx');
  });

  await knex.schema.createTable('scorecard_history', table => {
    table.comment('One row per evaluation that changed score, level or phase');
    table.bigIncrements('id');
    table
      .bigInteger('project_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('projects')
      .onDelete('CASCADE');
    table.bigInteger('evaluated_at_ms').notNullable();
    table.integer('score').notNullable();
    table.string('level', 16).notNullable();
    table.string('phase', 16).notNullable();
    table.integer('blocker_count').notNullable();
    table.index(['project_id', 'evaluated_at_ms'], 'scorecard_history_project_idx');
  });

  await knex.schema.createTable('project_rule_counts', table => {
    table.comment('Unwaived findings per project and rule, for rollups by rule');
    table
      .bigInteger('project_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('projects')
      .onDelete('CASCADE');
    table.string('rule_id', 128).notNullable();
    table.string('severity', 16).notNullable();
    table.integer('findings').notNullable();
    table.primary(['project_id', 'rule_id']);
    table.index(['rule_id'], 'project_rule_counts_rule_idx');
  });

  await knex.schema.createTable('progress_daily', table => {
    table.comment('Projects per migration phase, one row per day and phase');
    table.string('day', 10).notNullable();
    table.string('phase', 16).notNullable();
    table.integer('projects').notNullable();
    table.primary(['day', 'phase']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('progress_daily');
  await knex.schema.dropTable('project_rule_counts');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('projects');
  await knex.schema.dropTable('ci_blobs');
  await knex.schema.dropTable('fleet_state');
  await knex.schema.dropTable('fleet_samples');
};
