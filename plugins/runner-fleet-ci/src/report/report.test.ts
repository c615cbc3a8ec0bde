import { analyzeFiles } from '../rules/__testUtils__/analyze';
import { listRules } from '../rules/engine';
import { findingFingerprint, formatCodeQuality, formatJson, formatSarif, formatText } from '.';

const yaml = 'build:\n  image: docker:24\n  services: [docker:24-dind]\n  script:\n    - docker build .\n';

describe('reports', () => {
  it('write GitLab Code Quality issues', async () => {
    const { result } = await analyzeFiles(yaml);
    const issues = JSON.parse(formatCodeQuality(result));
    const dind = issues.find((issue: { check_name: string }) => issue.check_name === 'docker-in-docker-service');
    expect(dind).toMatchObject({ severity: 'blocker', location: { path: '.gitlab-ci.yml', lines: { begin: 3 } } });
    expect(dind.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(issues.map((issue: { fingerprint: string }) => issue.fingerprint)).size).toBe(issues.length);
    const severities = new Set(issues.map((issue: { severity: string }) => issue.severity));
    expect([...severities].every(severity => ['info', 'minor', 'major', 'critical', 'blocker'].includes(severity as string))).toBe(true);
  });

  it('keep fingerprints when a job moves', async () => {
    const moved = await analyzeFiles(`\n\n${yaml}`);
    const original = await analyzeFiles(yaml);
    expect(moved.findings.map(findingFingerprint)).toEqual(original.findings.map(findingFingerprint));
  });

  it('write SARIF 2.1.0 with rule indexes', async () => {
    const { result } = await analyzeFiles(yaml);
    const rules = listRules();
    const log = JSON.parse(formatSarif(result, rules));
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules).toHaveLength(rules.length);
    for (const entry of run.results) {
      expect(run.tool.driver.rules[entry.ruleIndex].id).toBe(entry.ruleId);
      expect(entry.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    }
    expect(run.results.find((entry: { ruleId: string }) => entry.ruleId === 'docker-cli-in-script').level).toBe('error');
  });

  it('mark waived findings as suppressed in SARIF and leave them out of Code Quality', async () => {
    const { result } = await analyzeFiles(yaml, {
      waivers: [{ rule: 'docker-cli-in-script', reason: 'Kaniko next sprint', expires: '2027-01-31' }],
    });
    const sarif = JSON.parse(formatSarif(result, listRules()));
    const waived = sarif.runs[0].results.find((entry: { ruleId: string }) => entry.ruleId === 'docker-cli-in-script');
    expect(waived.suppressions[0].justification).toContain('Kaniko next sprint');
    const issues = JSON.parse(formatCodeQuality(result));
    expect(issues.some((issue: { check_name: string }) => issue.check_name === 'docker-cli-in-script')).toBe(false);
  });

  it('write JSON and text with the level', async () => {
    const { result } = await analyzeFiles(yaml);
    expect(JSON.parse(formatJson(result))).toMatchObject({ level: 'blocked', jobCount: 1 });
    expect(formatText(result)).toContain('.gitlab-ci.yml:3: blocker docker-in-docker-service (job build)');
    expect(formatText(result)).toContain('level blocked.');
  });
});
