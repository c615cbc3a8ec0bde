import { computeScore, readinessLevel } from '.';
import type { Finding } from './types';

const finding = (ruleId: string, severity: Finding['severity'], waived = false): Finding => ({
  ruleId,
  severity,
  title: ruleId,
  message: ruleId,
  fix: '',
  job: 'j',
  location: { file: '.gitlab-ci.yml', line: 1 },
  waived,
});

describe('score', () => {
  it('is 100 and ready without findings', () => {
    expect(computeScore([])).toBe(100);
    expect(readinessLevel([])).toBe('ready');
  });

  it('takes weights off and caps per rule', () => {
    expect(computeScore([finding('a', 'info')])).toBe(99);
    expect(computeScore([finding('a', 'warning'), finding('b', 'warning')])).toBe(89);
    const manyWarnings = Array.from({ length: 10 }, () => finding('a', 'warning'));
    expect(computeScore(manyWarnings)).toBe(89);
  });

  it('keeps blocked projects at 49 or less', () => {
    expect(computeScore([finding('a', 'blocker')])).toBe(49);
    expect(readinessLevel([finding('a', 'blocker')])).toBe('blocked');
    const three = ['a', 'b', 'c'].map(id => finding(id, 'blocker'));
    expect(computeScore(three)).toBe(40);
    const five = ['a', 'b', 'c', 'd', 'e'].map(id => finding(id, 'blocker'));
    expect(computeScore(five)).toBe(0);
  });

  it('ignores waived findings', () => {
    expect(computeScore([finding('a', 'blocker', true)])).toBe(100);
    expect(readinessLevel([finding('a', 'blocker', true), finding('b', 'warning')])).toBe('needs-changes');
  });
});
