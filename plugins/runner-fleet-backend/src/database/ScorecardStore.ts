import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import type {
  JobEvidence,
  MigrationPhase,
  ProjectAggregates,
  ProjectScorecard,
  ProjectSummary,
  ScorecardHistoryPoint,
  ScorecardLevel,
  ScorecardRollup,
} from '@runner-fleet/plugin-runner-fleet-common';
import { toNumber, toOptionalNumber } from './migrate';

export const PHASES: MigrationPhase[] = [
  'legacy',
  'opted-in',
  'on-kubernetes',
  'migrated',
];
export const LEVELS: ScorecardLevel[] = ['blocked', 'needs-changes', 'ready'];

/** A project found in the catalog or in GitLab's project list. */
export interface DiscoveredProject {
  projectPath: string;
  gitlabId?: number;
  entityRef?: string;
  ownerRef?: string;
  webUrl?: string;
  defaultBranch?: string;
  ciConfigPath?: string;
}

/** Commit and blob ids of the CI files behind a stored result. */
export interface CiFingerprint {
  rootFile: string;
  /** Undefined when the project has no CI file on its default branch. */
  rootBlobId?: string;
  /** Commit at the tip of the default branch when the files were read. */
  commitId?: string;
  /** Files included from other projects, which can change without a commit here. */
  projectFiles: Array<{ project: string; path: string; ref: string; blobId?: string }>;
  /** Local included files; unchanged while `commitId` is unchanged. */
  localFiles: Array<{ path: string; blobId?: string }>;
  /** True when remote includes were read, which have no blob id to compare. */
  hasRemote: boolean;
  /** Tag use of the analysed jobs, kept so the phase can follow new evidence without re-analysis. */
  tagUsage?: { jobs: number; legacyTagJobs: number; optInTagJobs: number };
}

/** A row of the `projects` table. */
export interface ProjectRow {
  id: number;
  project_path: string;
  gitlab_id: number | null;
  entity_ref: string | null;
  owner_ref: string | null;
  group_path: string;
  source: string;
  web_url: string | null;
  default_branch: string | null;
  ci_config_path: string | null;
  seen_at_ms: number;
  due_at_ms: number;
  locked_until_ms: number | null;
  claimed_by: string | null;
  fingerprint_json: string | null;
  evidence_json: string | null;
  evidence_at_ms: number | null;
  score: number | null;
  level: string | null;
  phase: string | null;
  blocker_count: number;
  warning_count: number;
  info_count: number;
  config_error_count: number;
  evaluated_at_ms: number | null;
  scorecard_json: string | null;
  error: string | null;
}

/** The outcome of one evaluation, ready to store. */
export interface EvaluationRecord {
  scorecard: ProjectScorecard;
  fingerprint: CiFingerprint;
  evidenceAtMs?: number;
  /** False when only the evaluation time and evidence changed. */
  reanalyzed: boolean;
  nextDueMs: number;
}

/** Filters of the project list; every field is optional. */
export interface ProjectFilter {
  phase?: MigrationPhase;
  level?: ScorecardLevel;
  ownerRef?: string;
  group?: string;
  /** Substring of the project path. */
  text?: string;
  hasEntity?: boolean;
  evaluated?: boolean;
}

export const PROJECT_SORT_COLUMNS = {
  projectPath: 'project_path',
  score: 'score',
  phase: 'phase',
  level: 'level',
  blockers: 'blocker_count',
  evaluatedAt: 'evaluated_at_ms',
  owner: 'owner_ref',
} as const;

export type ProjectSortKey = keyof typeof PROJECT_SORT_COLUMNS;

function groupOf(projectPath: string): string {
  return projectPath.split('/')[0];
}

function normalizeRow(row: any): ProjectRow {
  return {
    ...row,
    id: toNumber(row.id),
    seen_at_ms: toNumber(row.seen_at_ms),
    due_at_ms: toNumber(row.due_at_ms),
    locked_until_ms: toOptionalNumber(row.locked_until_ms) ?? null,
    evidence_at_ms: toOptionalNumber(row.evidence_at_ms) ?? null,
    evaluated_at_ms: toOptionalNumber(row.evaluated_at_ms) ?? null,
  };
}

/** Converts a stored row to the API's summary shape. */
export function toProjectSummary(row: ProjectRow): ProjectSummary {
  return {
    projectPath: row.project_path,
    projectId: row.gitlab_id ?? undefined,
    entityRef: row.entity_ref ?? undefined,
    ownerRef: row.owner_ref ?? undefined,
    group: row.group_path,
    score: row.score ?? undefined,
    level: (row.level as ScorecardLevel | null) ?? undefined,
    phase: (row.phase as MigrationPhase | null) ?? undefined,
    blockers: row.blocker_count,
    warnings: row.warning_count,
    infos: row.info_count,
    configErrors: row.config_error_count,
    evaluatedAt:
      row.evaluated_at_ms !== null
        ? new Date(row.evaluated_at_ms).toISOString()
        : undefined,
    error: row.error ?? undefined,
    webUrl: row.web_url ?? undefined,
  };
}

/** Converts a stored row to the full scorecard, or undefined before the first evaluation. */
export function toProjectScorecard(row: ProjectRow): ProjectScorecard | undefined {
  if (!row.scorecard_json) return undefined;
  const stored = JSON.parse(row.scorecard_json) as ProjectScorecard;
  return {
    ...stored,
    projectPath: row.project_path,
    projectId: row.gitlab_id ?? stored.projectId,
    entityRef: row.entity_ref ?? undefined,
    // Phase and score columns are updated on every evaluation; the JSON only on re-analysis.
    phase: (row.phase as MigrationPhase | null) ?? stored.phase,
    evidence: row.evidence_json
      ? (JSON.parse(row.evidence_json) as JobEvidence)
      : stored.evidence,
    evaluatedAt:
      row.evaluated_at_ms !== null
        ? new Date(row.evaluated_at_ms).toISOString()
        : stored.evaluatedAt,
  };
}

function emptyCounts<K extends string>(keys: K[]): Record<K, number> {
  return Object.fromEntries(keys.map(key => [key, 0])) as Record<K, number>;
}

/** Stores projects, their latest scorecards, history and rollups. */
export class ScorecardStore {
  constructor(private readonly db: Knex) {}

  /**
   * Adds new projects, due at once, and refreshes the metadata of known
   * ones. Catalog data (entity and owner) is only written when given, so a
   * later GitLab listing does not erase it.
   */
  async upsertProjects(projects: DiscoveredProject[], nowMs: number): Promise<void> {
    const chunkSize = 200;
    for (let start = 0; start < projects.length; start += chunkSize) {
      const chunk = projects.slice(start, start + chunkSize);
      const withEntity = chunk.filter(p => p.entityRef);
      const withoutEntity = chunk.filter(p => !p.entityRef);
      const toRow = (project: DiscoveredProject) => ({
        project_path: project.projectPath,
        gitlab_id: project.gitlabId ?? null,
        entity_ref: project.entityRef ?? null,
        owner_ref: project.ownerRef ?? null,
        group_path: groupOf(project.projectPath),
        source: project.entityRef ? 'catalog' : 'gitlab',
        web_url: project.webUrl ?? null,
        default_branch: project.defaultBranch ?? null,
        ci_config_path: project.ciConfigPath ?? null,
        seen_at_ms: nowMs,
        due_at_ms: nowMs,
      });
      if (withEntity.length > 0) {
        await this.db('projects')
          .insert(withEntity.map(toRow))
          .onConflict('project_path')
          .merge(['entity_ref', 'owner_ref', 'source', 'seen_at_ms']);
      }
      if (withoutEntity.length > 0) {
        await this.db('projects')
          .insert(withoutEntity.map(toRow))
          .onConflict('project_path')
          .merge(['seen_at_ms']);
      }
      // GitLab metadata, when known, replaces what is stored.
      for (const project of chunk) {
        const update: Record<string, unknown> = {};
        if (project.gitlabId !== undefined) update.gitlab_id = project.gitlabId;
        if (project.webUrl !== undefined) update.web_url = project.webUrl;
        if (project.defaultBranch !== undefined)
          update.default_branch = project.defaultBranch;
        if (project.ciConfigPath !== undefined)
          update.ci_config_path = project.ciConfigPath;
        if (Object.keys(update).length > 0) {
          await this.db('projects')
            .where({ project_path: project.projectPath })
            .update(update);
        }
      }
    }
  }

  /**
   * Claims up to `size` due projects for one worker. The UPDATE repeats the
   * lock condition, so when two replicas pick the same candidates, only one
   * of them takes each row and the other claims fewer. Each then reads back
   * only the rows that carry its own token.
   */
  async claimDueProjects(options: {
    workerId: string;
    nowMs: number;
    lockMs: number;
    size: number;
  }): Promise<{ token: string; projects: ProjectRow[] }> {
    const token = `${options.workerId}:${randomUUID()}`.slice(0, 64);
    const unlocked = (query: Knex.QueryBuilder) =>
      query
        .whereNull('locked_until_ms')
        .orWhere('locked_until_ms', '<', options.nowMs);
    const candidates = this.db('projects')
      .select('id')
      .where('due_at_ms', '<=', options.nowMs)
      .andWhere(unlocked)
      .orderBy('due_at_ms', 'asc')
      .limit(options.size);
    await this.db('projects')
      .whereIn('id', candidates)
      .andWhere(unlocked)
      .update({
        claimed_by: token,
        locked_until_ms: options.nowMs + options.lockMs,
      });
    const rows = await this.db('projects').where({ claimed_by: token });
    return { token, projects: rows.map(normalizeRow) };
  }

  /** Stores an evaluation, its history point and rule counts, and releases the claim. */
  async saveEvaluation(project: ProjectRow, record: EvaluationRecord): Promise<void> {
    const { scorecard } = record;
    const unwaived = scorecard.findings.filter(f => !f.waiver);
    const count = (severity: string) =>
      unwaived.filter(f => f.severity === severity).length;
    const blockers = count('blocker');
    const evaluatedAtMs = Date.parse(scorecard.evaluatedAt);
    const stored: ProjectScorecard = { ...scorecard, evidence: undefined };

    const update: Record<string, unknown> = {
      gitlab_id: scorecard.projectId ?? project.gitlab_id,
      web_url: scorecard.webUrl ?? project.web_url,
      evidence_at_ms: record.evidenceAtMs ?? project.evidence_at_ms,
      score: scorecard.score,
      level: scorecard.level,
      phase: scorecard.phase,
      blocker_count: blockers,
      warning_count: count('warning'),
      info_count: count('info'),
      config_error_count: scorecard.configErrors.length,
      evaluated_at_ms: evaluatedAtMs,
      error: null,
      due_at_ms: record.nextDueMs,
      locked_until_ms: null,
      claimed_by: null,
    };
    // Large JSON columns are only rewritten when they changed, which keeps
    // re-checks of unchanged projects cheap (and PostgreSQL's TOAST data untouched).
    const fingerprintJson = JSON.stringify(record.fingerprint);
    if (fingerprintJson !== project.fingerprint_json) update.fingerprint_json = fingerprintJson;
    if (record.reanalyzed || !project.scorecard_json) update.scorecard_json = JSON.stringify(stored);
    if (record.evidenceAtMs !== undefined && scorecard.evidence) {
      update.evidence_json = JSON.stringify(scorecard.evidence);
    }

    await this.db.transaction(async tx => {
      await tx('projects').where({ id: project.id }).update(update);

      const changed =
        project.score !== scorecard.score ||
        project.level !== scorecard.level ||
        project.phase !== scorecard.phase ||
        project.blocker_count !== blockers;
      if (changed) {
        await tx('scorecard_history').insert({
          project_id: project.id,
          evaluated_at_ms: evaluatedAtMs,
          score: scorecard.score,
          level: scorecard.level,
          phase: scorecard.phase,
          blocker_count: blockers,
        });
      }

      if (record.reanalyzed) {
        await tx('project_rule_counts').where({ project_id: project.id }).delete();
        const byRule = new Map<string, { severity: string; findings: number }>();
        for (const finding of unwaived) {
          const entry = byRule.get(finding.ruleId) ?? {
            severity: finding.severity,
            findings: 0,
          };
          entry.findings += 1;
          byRule.set(finding.ruleId, entry);
        }
        if (byRule.size > 0) {
          await tx('project_rule_counts').insert(
            [...byRule].map(([ruleId, entry]) => ({
              project_id: project.id,
              rule_id: ruleId,
              severity: entry.severity,
              findings: entry.findings,
            })),
          );
        }
      }
    });
  }

  /** Records a failed evaluation and schedules a retry. */
  async saveFailure(
    projectId: number,
    message: string,
    retryAtMs: number,
  ): Promise<void> {
    await this.db('projects').where({ id: projectId }).update({
      error: message.slice(0, 2000),
      due_at_ms: retryAtMs,
      locked_until_ms: null,
      claimed_by: null,
    });
  }

  /** Deletes projects that no discovery run has seen since a time, with their history. */
  async deleteUnseenProjects(seenBeforeMs: number): Promise<number> {
    const stale = this.db('projects').select('id').where('seen_at_ms', '<', seenBeforeMs);
    await this.db('scorecard_history').whereIn('project_id', stale.clone()).delete();
    await this.db('project_rule_counts').whereIn('project_id', stale.clone()).delete();
    return await this.db('projects').where('seen_at_ms', '<', seenBeforeMs).delete();
  }

  async markDue(projectId: number, nowMs: number): Promise<void> {
    await this.db('projects').where({ id: projectId }).update({ due_at_ms: nowMs });
  }

  /** Finds a project by GitLab id (a number) or by path. */
  async findProject(projectRef: string | number): Promise<ProjectRow | undefined> {
    const isId = typeof projectRef === 'number' || /^\d+$/.test(projectRef);
    const row = await this.db('projects')
      .where(
        isId
          ? { gitlab_id: Number(projectRef) }
          : { project_path: String(projectRef) },
      )
      .first();
    return row ? normalizeRow(row) : undefined;
  }

  async findByEntityRef(entityRef: string): Promise<ProjectRow[]> {
    const rows = await this.db('projects')
      .where({ entity_ref: entityRef })
      .orderBy('project_path');
    return rows.map(normalizeRow);
  }

  async history(projectId: number, limit: number): Promise<ScorecardHistoryPoint[]> {
    const rows = await this.db('scorecard_history')
      .where({ project_id: projectId })
      .orderBy('evaluated_at_ms', 'desc')
      .limit(limit);
    return rows.reverse().map(row => ({
      evaluatedAt: new Date(toNumber(row.evaluated_at_ms)).toISOString(),
      score: row.score,
      level: row.level,
      phase: row.phase,
    }));
  }

  private applyFilter(query: Knex.QueryBuilder, filter: ProjectFilter) {
    if (filter.phase) query.where('phase', filter.phase);
    if (filter.level) query.where('level', filter.level);
    if (filter.ownerRef) query.where('owner_ref', filter.ownerRef);
    if (filter.group) query.where('group_path', filter.group);
    if (filter.text) {
      const escaped = filter.text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`);
      query.whereRaw("lower(project_path) like ? escape '\\'", [`%${escaped}%`]);
    }
    if (filter.hasEntity === true) query.whereNotNull('entity_ref');
    if (filter.hasEntity === false) query.whereNull('entity_ref');
    if (filter.evaluated === true) query.whereNotNull('evaluated_at_ms');
    if (filter.evaluated === false) query.whereNull('evaluated_at_ms');
    return query;
  }

  /** Lists one page of projects with aggregates over every matching project. */
  async listProjects(options: {
    filter: ProjectFilter;
    sort: ProjectSortKey;
    descending: boolean;
    offset: number;
    limit: number;
  }): Promise<{ items: ProjectSummary[]; totalCount: number; aggregates: ProjectAggregates }> {
    const column = PROJECT_SORT_COLUMNS[options.sort];
    const direction = options.descending ? 'desc' : 'asc';
    const rows = await this.applyFilter(
      this.db('projects').select(
        'id',
        'project_path',
        'gitlab_id',
        'entity_ref',
        'owner_ref',
        'group_path',
        'web_url',
        'score',
        'level',
        'phase',
        'blocker_count',
        'warning_count',
        'info_count',
        'config_error_count',
        'evaluated_at_ms',
        'error',
      ),
      options.filter,
    )
      // Unevaluated projects sort last in both directions.
      .orderByRaw(`case when ${column} is null then 1 else 0 end`)
      .orderBy(column, direction)
      .orderBy('project_path', 'asc')
      .offset(options.offset)
      .limit(options.limit);

    const groups: Array<{ phase: string | null; level: string | null; projects: unknown; score_sum: unknown }> =
      await this.applyFilter(this.db('projects'), options.filter)
        .select('phase', 'level')
        .count({ projects: '*' })
        .sum({ score_sum: 'score' })
        .groupBy('phase', 'level');

    const aggregates: ProjectAggregates = {
      byPhase: emptyCounts(PHASES),
      byLevel: emptyCounts(LEVELS),
      pending: 0,
    };
    let totalCount = 0;
    let scored = 0;
    let scoreSum = 0;
    for (const group of groups) {
      const projects = toNumber(group.projects);
      totalCount += projects;
      if (group.phase === null && group.level === null) {
        aggregates.pending += projects;
        continue;
      }
      if (group.phase) aggregates.byPhase[group.phase as MigrationPhase] += projects;
      if (group.level) aggregates.byLevel[group.level as ScorecardLevel] += projects;
      scored += projects;
      scoreSum += toNumber(group.score_sum ?? 0);
    }
    if (scored > 0) aggregates.averageScore = Math.round((scoreSum / scored) * 10) / 10;

    return {
      items: rows.map((row: any) => toProjectSummary(normalizeRow(row))),
      totalCount,
      aggregates,
    };
  }

  /** Groups the latest scorecards by owner, top-level group, phase or rule. */
  async rollups(by: 'owner' | 'group' | 'rule' | 'phase'): Promise<ScorecardRollup[]> {
    const rollups = new Map<string, ScorecardRollup & { scoreSum: number; scored: number }>();
    const entry = (key: string) => {
      let value = rollups.get(key);
      if (!value) {
        value = {
          key,
          projects: 0,
          byLevel: emptyCounts(LEVELS),
          byPhase: emptyCounts(PHASES),
          findings: 0,
          scoreSum: 0,
          scored: 0,
        };
        rollups.set(key, value);
      }
      return value;
    };

    if (by === 'rule') {
      const rows: any[] = await this.db('project_rule_counts as r')
        .join('projects as p', 'p.id', 'r.project_id')
        .select('r.rule_id', 'r.severity', 'p.level', 'p.phase')
        .count({ projects: '*' })
        .sum({ findings: 'r.findings', score_sum: 'p.score' })
        .groupBy('r.rule_id', 'r.severity', 'p.level', 'p.phase');
      for (const row of rows) {
        const value = entry(row.rule_id);
        const projects = toNumber(row.projects);
        value.severity = row.severity;
        value.projects += projects;
        value.findings += toNumber(row.findings ?? 0);
        if (row.level) value.byLevel[row.level as ScorecardLevel] += projects;
        if (row.phase) value.byPhase[row.phase as MigrationPhase] += projects;
        value.scoreSum += toNumber(row.score_sum ?? 0);
        value.scored += projects;
      }
    } else {
      const column = { owner: 'owner_ref', group: 'group_path', phase: 'phase' }[by];
      const rows: any[] = await this.db('projects')
        .whereNotNull('evaluated_at_ms')
        .select({ key: column }, 'level', 'phase')
        .count({ projects: '*' })
        .sum({ findings: 'blocker_count', score_sum: 'score' })
        .groupBy(column, 'level', 'phase');
      for (const row of rows) {
        const value = entry(row.key ?? '(none)');
        const projects = toNumber(row.projects);
        value.projects += projects;
        value.findings += toNumber(row.findings ?? 0);
        if (row.level) value.byLevel[row.level as ScorecardLevel] += projects;
        if (row.phase) value.byPhase[row.phase as MigrationPhase] += projects;
        value.scoreSum += toNumber(row.score_sum ?? 0);
        value.scored += projects;
      }
    }

    return [...rollups.values()]
      .map(({ scoreSum, scored, ...rollup }) => ({
        ...rollup,
        averageScore: scored > 0 ? Math.round((scoreSum / scored) * 10) / 10 : undefined,
      }))
      .sort((a, b) => b.projects - a.projects || a.key.localeCompare(b.key));
  }

  async countByPhase(): Promise<Record<MigrationPhase, number>> {
    const rows: any[] = await this.db('projects')
      .whereNotNull('phase')
      .select('phase')
      .count({ projects: '*' })
      .groupBy('phase');
    const counts = emptyCounts(PHASES);
    for (const row of rows) counts[row.phase as MigrationPhase] = toNumber(row.projects);
    return counts;
  }

  /** Stores today's projects per phase, replacing earlier numbers of the same day. */
  async recordProgress(day: string): Promise<void> {
    const counts = await this.countByPhase();
    await this.db('progress_daily')
      .insert(PHASES.map(phase => ({ day, phase, projects: counts[phase] })))
      .onConflict(['day', 'phase'])
      .merge(['projects']);
  }

  async progress(sinceDay: string): Promise<Array<{ day: string; byPhase: Record<MigrationPhase, number> }>> {
    const rows: any[] = await this.db('progress_daily')
      .where('day', '>=', sinceDay)
      .orderBy('day', 'asc');
    const days = new Map<string, Record<MigrationPhase, number>>();
    for (const row of rows) {
      const counts = days.get(row.day) ?? emptyCounts(PHASES);
      counts[row.phase as MigrationPhase] = toNumber(row.projects);
      days.set(row.day, counts);
    }
    return [...days].map(([day, byPhase]) => ({ day, byPhase }));
  }

  /** Iterates over all projects in path order, in pages, for the CSV export. */
  async *iterateProjects(pageSize = 1000): AsyncIterable<ProjectRow[]> {
    let after = '';
    for (;;) {
      const rows = await this.db('projects')
        .where('project_path', '>', after)
        .orderBy('project_path', 'asc')
        .limit(pageSize);
      if (rows.length === 0) return;
      yield rows.map(normalizeRow);
      after = rows[rows.length - 1].project_path;
    }
  }

  async getBlob(blobId: string, nowMs: number): Promise<string | undefined> {
    const row = await this.db('ci_blobs').where({ blob_id: blobId }).first();
    if (!row) return undefined;
    await this.db('ci_blobs').where({ blob_id: blobId }).update({ last_used_ms: nowMs });
    return row.content;
  }

  async putBlob(blobId: string, content: string, nowMs: number): Promise<void> {
    await this.db('ci_blobs')
      .insert({ blob_id: blobId, content, last_used_ms: nowMs })
      .onConflict('blob_id')
      .merge(['last_used_ms']);
  }

  /** Deletes cached file contents unused since a time. */
  async pruneBlobs(unusedSinceMs: number): Promise<number> {
    return await this.db('ci_blobs').where('last_used_ms', '<', unusedSinceMs).delete();
  }
}
