import { projectEntity, scorecard } from '../../testing/fixtures';
import {
  findingUrl,
  isGitLabProjectEntity,
  moveToKubernetesTemplateUrl,
  projectRefOf,
} from './projectEntity';

describe('findingUrl', () => {
  it('links to the exact line', () => {
    expect(findingUrl(scorecard, scorecard.findings[0])).toBe(
      'https://gitlab.example.org/physics/atlas-analysis/-/blob/main/ci/tests.yml#L17',
    );
  });

  it('uses an explicit ref over the one in webUrl', () => {
    expect(findingUrl({ ...scorecard, ref: 'feature/k8s' }, scorecard.findings[1])).toBe(
      'https://gitlab.example.org/physics/atlas-analysis/-/blob/feature%2Fk8s/.gitlab-ci.yml#L5',
    );
  });

  it('escapes file names', () => {
    const url = findingUrl(scorecard, { location: { file: 'ci dir/a#b.yml', line: 3 } });
    expect(url).toBe(
      'https://gitlab.example.org/physics/atlas-analysis/-/blob/main/ci%20dir/a%23b.yml#L3',
    );
  });

  it('uses HEAD with a project web URL', () => {
    expect(
      findingUrl(
        { webUrl: 'https://gitlab.example.org/physics/atlas-analysis/' },
        scorecard.findings[0],
      ),
    ).toBe('https://gitlab.example.org/physics/atlas-analysis/-/blob/HEAD/ci/tests.yml#L17');
  });

  it('returns undefined without location or web URL', () => {
    expect(findingUrl(scorecard, scorecard.findings[2])).toBeUndefined();
    expect(findingUrl({ webUrl: undefined }, scorecard.findings[0])).toBeUndefined();
    // eslint-disable-next-line no-script-url -- checks that such URLs are rejected
    expect(findingUrl({ webUrl: 'javascript:alert(1)' }, scorecard.findings[0])).toBeUndefined();
  });
});

describe('project entities', () => {
  it('accepts components with a slug or id', () => {
    expect(isGitLabProjectEntity(projectEntity)).toBe(true);
    expect(
      isGitLabProjectEntity({
        ...projectEntity,
        metadata: { name: 'x', annotations: { 'gitlab.com/project-id': '42' } },
      }),
    ).toBe(true);
  });

  it('rejects other kinds and unannotated components', () => {
    expect(isGitLabProjectEntity({ ...projectEntity, kind: 'Resource' })).toBe(false);
    expect(isGitLabProjectEntity({ ...projectEntity, metadata: { name: 'x' } })).toBe(false);
  });

  it('prefers the slug as project reference', () => {
    expect(projectRefOf(projectEntity)).toBe('physics/atlas-analysis');
  });

  it('prefills the move template', () => {
    const url = moveToKubernetesTemplateUrl('physics/atlas-analysis');
    expect(url.startsWith('/create/templates/default/move-to-kubernetes-runners?formData=')).toBe(true);
    const formData = new URL(url, 'http://localhost').searchParams.get('formData');
    expect(JSON.parse(formData!)).toEqual({ project: 'physics/atlas-analysis' });
  });
});
