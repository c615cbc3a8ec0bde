import { createHash } from 'node:crypto';
import type { AnalysisResult, Finding } from '../score/types';
import type { RuleDescription, Severity } from '../rules/types';

export type ReportFormat = 'text' | 'json' | 'codequality' | 'sarif';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'codequality', 'sarif'];

/** Severity names of GitLab's Code Quality report. */
type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

const CODE_QUALITY_SEVERITY: Record<Severity, CodeQualitySeverity> = {
  blocker: 'blocker',
  warning: 'major',
  info: 'info',
};

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  blocker: 'error',
  warning: 'warning',
  info: 'note',
};

/**
 * A stable identifier of a finding across runs: rule, job, file and the
 * message, without the line number, so moving a job does not turn its
 * findings into new ones in GitLab's merge request widget.
 */
export function findingFingerprint(finding: Finding): string {
  return createHash('sha256')
    .update([finding.ruleId, finding.job, finding.location.file, finding.message].join('\u0000'))
    .digest('hex');
}

/** Writes the GitLab Code Quality report: a JSON array of issues. */
export function formatCodeQuality(result: AnalysisResult): string {
  const issues = [
    ...result.findings
      .filter(finding => !finding.waived)
      .map(finding => ({
        description: `${finding.message} Fix: ${finding.fix}`,
        check_name: finding.ruleId,
        fingerprint: findingFingerprint(finding),
        severity: CODE_QUALITY_SEVERITY[finding.severity],
        location: {
          path: finding.location.file,
          lines: { begin: finding.location.line },
        },
      })),
    ...result.configErrors.map(error => ({
      description: error.message,
      check_name: `config-${error.code}`,
      fingerprint: createHash('sha256')
        .update([error.code, error.location.file, error.message].join('\u0000'))
        .digest('hex'),
      severity: 'critical' as CodeQualitySeverity,
      location: { path: error.location.file, lines: { begin: error.location.line } },
    })),
  ];
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/** Writes a SARIF 2.1.0 log with one run, the rule catalogue and every unwaived finding. */
export function formatSarif(result: AnalysisResult, rules: RuleDescription[], toolVersion = '0.1.0'): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'runner-fleet-ci',
            version: toolVersion,
            informationUri: 'https://docs.gitlab.com/runner/executors/kubernetes/',
            rules: rules.map(rule => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.rationale },
              help: { text: `${rule.detection}\nFix: ${rule.fix}` },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
            })),
          },
        },
        results: result.findings.map(finding => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
          level: SARIF_LEVEL[finding.severity],
          message: { text: `${finding.message} Fix: ${finding.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.location.file },
                region: {
                  startLine: finding.location.line,
                  ...(finding.location.column ? { startColumn: finding.location.column } : {}),
                },
              },
              logicalLocations: [{ name: finding.job, kind: 'object' }],
            },
          ],
          partialFingerprints: { 'runnerFleet/v1': findingFingerprint(finding) },
          ...(finding.waived && finding.waiver
            ? {
                suppressions: [
                  {
                    kind: 'external',
                    justification: `${finding.waiver.reason} (waived until ${finding.waiver.expires})`,
                  },
                ],
              }
            : {}),
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolConfigurationNotifications: [
              ...result.configErrors.map(error => ({
                level: 'error',
                message: { text: error.message },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: error.location.file },
                      region: { startLine: error.location.line },
                    },
                  },
                ],
              })),
              ...result.waiverProblems.map(problem => ({
                level: problem.kind === 'unused' ? 'note' : 'warning',
                message: { text: problem.message },
              })),
            ],
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Writes the result as JSON, findings with their waivers included. */
export function formatJson(result: AnalysisResult): string {
  return `${JSON.stringify(
    {
      level: result.level,
      score: result.score,
      counts: result.counts,
      jobCount: result.jobCount,
      findings: result.findings.map(({ autoFix, ...finding }) => ({
        ...finding,
        autoFixable: autoFix !== undefined,
      })),
      configErrors: result.configErrors,
      waiverProblems: result.waiverProblems,
    },
    null,
    2,
  )}\n`;
}

/** Writes a human-readable report grouped by file and line. */
export function formatText(result: AnalysisResult): string {
  const lines: string[] = [];
  for (const error of result.configErrors) {
    lines.push(`${error.location.file}:${error.location.line}: configuration error (${error.code}): ${error.message}`);
  }
  const sorted = [...result.findings].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.ruleId.localeCompare(b.ruleId),
  );
  for (const finding of sorted) {
    const waived = finding.waived && finding.waiver
      ? ` [waived until ${finding.waiver.expires}: ${finding.waiver.reason}]`
      : '';
    lines.push(
      `${finding.location.file}:${finding.location.line}: ${finding.severity} ${finding.ruleId} (job ${finding.job}): ${finding.message}${waived}`,
    );
    if (!finding.waived) {
      lines.push(`    fix: ${finding.fix}`);
    }
  }
  for (const problem of result.waiverProblems) {
    lines.push(`.runner-fleet.yaml: waiver ${problem.kind}: ${problem.message}`);
  }
  if (lines.length > 0) {
    lines.push('');
  }
  lines.push(
    `${countOf(result.jobCount, 'job')} checked: ${countOf(result.counts.blocker, 'blocker')}, ${countOf(result.counts.warning, 'warning')}, ${countOf(result.counts.info, 'note')}; score ${result.score}/100, level ${result.level}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Formats `result` in `format`. */
export function formatReport(result: AnalysisResult, format: ReportFormat, rules: RuleDescription[]): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'codequality':
      return formatCodeQuality(result);
    case 'sarif':
      return formatSarif(result, rules);
    default:
      return formatText(result);
  }
}

/** Formats a count with its noun, for example `1 job` or `3 jobs`. */
export function countOf(
  count: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
