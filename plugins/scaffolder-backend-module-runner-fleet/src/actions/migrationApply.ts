import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  type CheckProjectResult,
  type Finding,
  applyFixes,
  checkProject,
  createDirectoryReader,
} from '@runner-fleet/ci';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z as zod } from 'zod/v3';
import {
  NAMESPACE_PATH_PATTERN,
  type Zod,
  parseActionInput,
} from '../lib/validation';
import { examples } from './migrationApply.examples';

/** Rule whose automatic fix removes the Docker Machine fleet's tag. */
const LEGACY_TAG_RULE = 'legacy-docker-tag';

const inputSchema = (z: Zod) =>
  z.object({
    sourcePath: z
      .string()
      .min(1)
      .default('.')
      .describe('Workspace directory with the project checkout, for example the target of fetch:plain'),
    rootFile: z
      .string()
      .min(1)
      .default('.gitlab-ci.yml')
      .describe('Path of the root CI file inside the checkout'),
    projectPath: z
      .string()
      .regex(NAMESPACE_PATH_PATTERN, 'must be a GitLab project path such as physics/atlas-analysis')
      .optional()
      .describe('GitLab project path, for $CI_PROJECT_PATH in includes and for the description'),
    outputPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Workspace directory to write only the changed files to, at their paths in the project, for publishing with commitAction update; default: rewrite them in sourcePath',
      ),
    switchLegacyTags: z
      .boolean()
      .default(true)
      .describe(
        'Remove the legacy Docker Machine tag from jobs whose other blockers are fixed, so they run on the Kubernetes default fleet',
      ),
  });

const outputSchema = (z: Zod) =>
  z.object({
    changedFiles: z
      .array(z.string())
      .describe('Files the fixes rewrote, relative to sourcePath'),
    hasChanges: z.boolean().describe('True when at least one file changed'),
    appliedCount: z.number().describe('Number of automatic fixes applied'),
    remainingCount: z
      .number()
      .describe('Unwaived findings left after the fixes, for a person to handle'),
    scoreBefore: z.number().describe('Migration score before the fixes, 0 to 100'),
    scoreAfter: z.number().describe('Migration score after the fixes, 0 to 100'),
    levelAfter: z
      .enum(['ready', 'needs-changes', 'blocked'])
      .describe('Readiness after the fixes'),
    mergeRequestDescription: z
      .string()
      .describe('Markdown listing what changed and what still needs a person'),
  });

function locationText(finding: Finding): string {
  return `${finding.location.file}:${finding.location.line}`;
}

/**
 * Picks the findings whose fixes are applied. The legacy-tag fix moves a job
 * to Kubernetes, so it is held back while the job has other unwaived
 * blockers that no automatic fix removes.
 */
function selectFixes(
  result: CheckProjectResult,
  switchLegacyTags: boolean,
): { selected: Finding[]; heldBack: Finding[] } {
  const open = result.findings.filter(f => !f.waived);
  const blockedJobs = new Set(
    open
      .filter(f => f.ruleId !== LEGACY_TAG_RULE && f.severity === 'blocker' && !f.autoFix)
      .map(f => f.job),
  );
  const selected: Finding[] = [];
  const heldBack: Finding[] = [];
  for (const finding of open) {
    if (!finding.autoFix) {
      continue;
    }
    if (finding.ruleId === LEGACY_TAG_RULE && (!switchLegacyTags || blockedJobs.has(finding.job))) {
      heldBack.push(finding);
      continue;
    }
    selected.push(finding);
  }
  return { selected, heldBack };
}

function describeMigration(options: {
  projectPath?: string;
  before: CheckProjectResult;
  after: CheckProjectResult;
  applied: string[];
  skipped: string[];
  heldBack: Finding[];
}): string {
  const { before, after, applied, skipped, heldBack } = options;
  const remaining = after.findings.filter(f => !f.waived);
  const lines: string[] = [
    `Migration to the Kubernetes runners${options.projectPath ? ` for \`${options.projectPath}\`` : ''}: score ${before.score} → ${after.score} (${after.level}).`,
    '',
    '### Changed automatically',
    '',
  ];
  lines.push(...(applied.length > 0 ? applied.map(a => `- ${a}`) : ['- Nothing: no automatic fix applied.']));

  const needsPerson = remaining.filter(f => f.severity !== 'info');
  const notes = remaining.filter(f => f.severity === 'info');
  const describeFinding = (finding: Finding) => {
    const held = heldBack.some(h => h.job === finding.job && h.ruleId === finding.ruleId);
    return `- **${finding.severity}** \`${finding.ruleId}\` in job \`${finding.job}\` (${locationText(finding)}): ${finding.message} Fix: ${finding.fix}${
      held ? " The tag stays until the job's blockers are fixed." : ''
    }`;
  };

  lines.push('', '### Needs a person', '');
  if (needsPerson.length === 0 && after.configErrors.length === 0 && skipped.length === 0) {
    lines.push('- Nothing: the pipeline is ready for the Kubernetes runners.');
  }
  for (const error of after.configErrors) {
    lines.push(`- **configuration error** at ${error.location.file}:${error.location.line}: ${error.message}`);
  }
  lines.push(...needsPerson.map(describeFinding));
  for (const reason of skipped) {
    lines.push(`- Automatic fix not applied: ${reason}`);
  }
  if (notes.length > 0) {
    lines.push('', '### Notes', '', ...notes.map(describeFinding));
  }
  return lines.join('\n');
}

/**
 * Creates `runner-fleet:migration:apply`. It checks the project checked out
 * in the workspace with the migration engine and applies the automatic
 * fixes, which include removing legacy tags from jobs that are otherwise
 * ready. It writes the changed files and returns a merge request description
 * of what changed and what still needs a person.
 * @public
 */
export function createMigrationApplyAction() {
  return createTemplateAction({
    id: 'runner-fleet:migration:apply',
    description:
      "Applies the migration engine's automatic fixes to the CI configuration in the workspace and describes what is left",
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema(zod), ctx.input);
      const root = resolveSafeChildPath(ctx.workspacePath, input.sourcePath);
      const reader = createDirectoryReader(root);
      const resolve = { rootFile: input.rootFile, projectPath: input.projectPath };

      if ((await reader.readLocal(input.rootFile)) === undefined) {
        throw new InputError(
          `rootFile ${input.rootFile} was not found in ${input.sourcePath}; fetch the project first or set rootFile`,
        );
      }

      const before = await checkProject({ reader, resolve });
      const { selected, heldBack } = selectFixes(before, input.switchLegacyTags);
      const fixed = applyFixes(before.pipeline, selected);

      const outputRoot = input.outputPath
        ? resolveSafeChildPath(ctx.workspacePath, input.outputPath)
        : root;
      for (const file of fixed.files) {
        const target = resolveSafeChildPath(outputRoot, file.file);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, file.updated, 'utf8');
      }

      // Analyse the fixed texts: the checkout itself, or the checkout with
      // the changed files laid over it when they went to outputPath.
      let after = before;
      if (fixed.files.length > 0) {
        const updated = new Map(fixed.files.map(f => [f.file, f.updated]));
        const afterReader = {
          ...reader,
          readLocal: async (file: string) =>
            updated.get(file) ?? reader.readLocal(file),
        };
        after = await checkProject({ reader: afterReader, resolve });
      }

      const description = describeMigration({
        projectPath: input.projectPath,
        before,
        after,
        applied: fixed.applied.map(fix => fix.description),
        skipped: fixed.skipped.map(s => `${s.fix.description} ${s.reason}`),
        heldBack,
      });
      const remainingCount = after.findings.filter(f => !f.waived).length;

      ctx.logger.info(
        `Applied ${fixed.applied.length} automatic fixes to ${fixed.files.length} files; ${remainingCount} findings need a person`,
      );
      ctx.output('changedFiles', fixed.files.map(f => f.file));
      ctx.output('hasChanges', fixed.files.length > 0);
      ctx.output('appliedCount', fixed.applied.length);
      ctx.output('remainingCount', remainingCount);
      ctx.output('scoreBefore', before.score);
      ctx.output('scoreAfter', after.score);
      ctx.output('levelAfter', after.level);
      ctx.output('mergeRequestDescription', description);
    },
  });
}
