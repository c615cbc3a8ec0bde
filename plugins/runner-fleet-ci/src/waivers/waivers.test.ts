import { ConfigurationError } from '../config';
import { analyzeFiles } from '../rules/__testUtils__/analyze';
import { parseWaiverFile } from '.';

const dind = 'build:\n  services: [docker:dind]\n  tags: [k8s-default]\n  script: [make]\n';

describe('parseWaiverFile', () => {
  it('reads waivers', () => {
    const waivers = parseWaiverFile('waivers:\n  - rule: docker-in-docker-service\n    job: build\n    reason: Kaniko move in Q1\n    expires: 2027-01-31\n');
    expect(waivers).toEqual([{ rule: 'docker-in-docker-service', job: 'build', reason: 'Kaniko move in Q1', expires: '2027-01-31' }]);
  });

  it('names the invalid field and line', () => {
    const text = 'waivers:\n  - rule: docker-in-docker-service\n    reason: later\n    expires: next year\n';
    let error: unknown;
    try {
      parseWaiverFile(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues).toEqual([
      expect.objectContaining({ field: 'waivers[0].expires', line: 4 }),
    ]);
    expect((error as Error).message).toContain('.runner-fleet.yaml at waivers[0].expires');
  });

  it('requires a reason', () => {
    expect(() => parseWaiverFile('waivers:\n  - rule: x\n    reason: "  "\n    expires: 2027-01-01\n')).toThrow(/waivers\[0\]\.reason/);
  });

  it('treats an empty file as no waivers', () => {
    expect(parseWaiverFile('')).toEqual([]);
  });
});

describe('applyWaivers through analyzePipeline', () => {
  it('waives a blocker and changes the level', async () => {
    const { result } = await analyzeFiles(dind, {
      waivers: [{ rule: 'docker-in-docker-service', reason: 'Kaniko move', expires: '2027-01-31' }],
    });
    const finding = result.findings.find(candidate => candidate.ruleId === 'docker-in-docker-service');
    expect(finding?.waived).toBe(true);
    expect(finding?.waiver?.reason).toBe('Kaniko move');
    expect(result.level).not.toBe('blocked');
  });

  it('applies through the expiry day and not after', async () => {
    const waivers = [{ rule: 'docker-in-docker-service', reason: 'r', expires: '2026-12-01' }];
    const onDay = await analyzeFiles(dind, { waivers, now: new Date('2026-12-01T23:00:00Z') });
    expect(onDay.result.level).not.toBe('blocked');
    const after = await analyzeFiles(dind, { waivers, now: new Date('2026-12-02T00:30:00Z') });
    expect(after.result.level).toBe('blocked');
    expect(after.result.waiverProblems).toEqual([expect.objectContaining({ kind: 'expired' })]);
  });

  it('limits a waiver to its job', async () => {
    const { result } = await analyzeFiles(dind, {
      waivers: [{ rule: 'docker-in-docker-service', job: 'other', reason: 'r', expires: '2027-01-31' }],
    });
    expect(result.level).toBe('blocked');
    expect(result.waiverProblems.map(problem => problem.kind)).toEqual(['unused']);
  });

  it('reports waivers for unknown rules', async () => {
    const { result } = await analyzeFiles(dind, {
      waivers: [{ rule: 'no-such-rule', reason: 'r', expires: '2027-01-31' }],
    });
    expect(result.waiverProblems[0]).toMatchObject({ kind: 'unknown-rule' });
  });
});
