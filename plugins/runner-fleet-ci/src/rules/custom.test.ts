import { ConfigurationError } from '../config';
import { analyzeFiles } from './__testUtils__/analyze';
import { BUILTIN_RULES } from './builtin';
import { parseCustomRules } from './custom';
import { listRules } from './engine';
import type { Rule } from './types';

const builtinIds = new Set(BUILTIN_RULES.map(rule => rule.id));

const rulesFile = `rules:
  - id: no-latest-images
    severity: warning
    title: Image uses the latest tag
    rationale: The latest tag changes under the job.
    fix: Pin a version.
    match:
      image: ':latest$'
    unless:
      tags: '^sandbox$'
  - id: internal-mirror-only
    severity: blocker
    title: Script downloads from the internet
    rationale: The technical network has no internet access.
    fix: Use the internal mirror.
    message: 'Job {job} downloads from {match}'
    match:
      script: 'https?://(?!mirror\\.example\\.org)[^/\\s]+'
      tags: '^technical-network$'
`;

describe('declarative rules', () => {
  it('match images with an unless clause', async () => {
    const rules = parseCustomRules(rulesFile, 'rules.yaml', builtinIds);
    const yaml = 'a:\n  image: alpine:latest\n  script: [make]\nb:\n  image: alpine:latest\n  tags: [sandbox]\n  script: [make]\n';
    const { findings } = await analyzeFiles(yaml, { rules });
    const hits = findings.filter(finding => finding.ruleId === 'no-latest-images');
    expect(hits.map(finding => finding.job)).toEqual(['a']);
    expect(hits[0].location.line).toBe(2);
  });

  it('combine matchers with AND and fill the message', async () => {
    const rules = parseCustomRules(rulesFile, 'rules.yaml', builtinIds);
    const yaml = `a:
  tags: [technical-network]
  script:
    - curl -O https://github.com/x/y.tar.gz
    - curl -O https://mirror.example.org/z.tar.gz
b:
  script:
    - curl -O https://github.com/x/y.tar.gz
`;
    const { findings } = await analyzeFiles(yaml, { rules });
    const hits = findings.filter(finding => finding.ruleId === 'internal-mirror-only');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ job: 'a', severity: 'blocker', message: 'Job a downloads from https://github.com' });
    expect(hits[0].location.line).toBe(4);
  });

  it('reject a built-in id', () => {
    const text = 'rules:\n  - id: untagged-job\n    severity: info\n    title: t\n    rationale: r\n    fix: f\n    match: { tags: x }\n';
    expect(() => parseCustomRules(text, 'rules.yaml', builtinIds)).toThrow(/rules\[0\]\.id.*built-in rule id/);
  });

  it('name the field of an invalid regular expression', () => {
    const text = 'rules:\n  - id: bad\n    severity: info\n    title: t\n    rationale: r\n    fix: f\n    match:\n      script: "("\n';
    let error: unknown;
    try {
      parseCustomRules(text, 'rules.yaml', builtinIds);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues[0]).toMatchObject({ field: 'rules[0].match.script', line: 8 });
  });

  it('reject an empty match and a bad severity', () => {
    const text = 'rules:\n  - id: bad\n    severity: fatal\n    title: t\n    rationale: r\n    fix: f\n    match: {}\n';
    expect(() => parseCustomRules(text)).toThrow(/rules\[0\]\.severity[\s\S]*rules\[0\]\.match/);
  });
});

describe('programmatic rules', () => {
  const rule: Rule = {
    id: 'org-needs-timeout',
    severity: 'info',
    title: 'Job has no timeout',
    rationale: 'Kubernetes pods hold node resources until the job ends.',
    detection: 'The job has no `timeout`.',
    fix: 'Set `timeout`.',
    check: job => (job.definition.timeout ? [] : [{ message: `Job ${job.name} has no timeout.` }]),
  };

  it('run after the built-in rules and appear in the catalogue', async () => {
    const { findings } = await analyzeFiles('a:\n  script: [make]\nb:\n  timeout: 1h\n  script: [make]\n', { rules: [rule] });
    expect(findings.filter(finding => finding.ruleId === rule.id).map(finding => finding.job)).toEqual(['a']);
    expect(listRules([rule]).at(-1)).toMatchObject({ id: rule.id, source: 'custom' });
  });

  it('report a rule that throws as a finding', async () => {
    const broken: Rule = { ...rule, id: 'org-broken', check: () => { throw new Error('boom'); } };
    const { findings } = await analyzeFiles('a:\n  script: [make]\n', { rules: [broken] });
    expect(findings.find(finding => finding.ruleId === 'org-broken')?.message).toContain('boom');
  });

  it('can be disabled by configuration', async () => {
    const { findings } = await analyzeFiles('a:\n  script: [make]\n', { config: { disabledRules: ['untagged-job'] } });
    expect(findings.some(finding => finding.ruleId === 'untagged-job')).toBe(false);
  });
});
