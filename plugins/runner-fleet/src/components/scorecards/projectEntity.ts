import { Entity } from '@backstage/catalog-model';
import type {
  ProjectScorecard,
  ScorecardFinding,
} from '@runner-fleet/plugin-runner-fleet-common';

/** Annotation with the GitLab project path, for example `physics/atlas-analysis`. */
export const PROJECT_SLUG_ANNOTATION = 'gitlab.com/project-slug';
/** Annotation with the numeric GitLab project id. */
export const PROJECT_ID_ANNOTATION = 'gitlab.com/project-id';

/** True for components that name a GitLab project, which is what scorecards need. */
export function isGitLabProjectEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    Boolean(annotations[PROJECT_SLUG_ANNOTATION] || annotations[PROJECT_ID_ANNOTATION])
  );
}

/** GitLab project path or id of an entity, path preferred. */
export function projectRefOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  return annotations[PROJECT_SLUG_ANNOTATION] || annotations[PROJECT_ID_ANNOTATION] || undefined;
}

/**
 * Builds the link to a finding's line in GitLab,
 * `<gitlab web url>/<project>/-/blob/<ref>/<file>#L<line>`. The web URL and
 * ref come from the scorecard's `webUrl`, which points at the analysed CI
 * file (`.../-/blob/<ref>/<file>`). Returns undefined when either is missing.
 */
export function findingUrl(
  scorecard: Pick<ProjectScorecard, 'webUrl' | 'projectPath'> & { ref?: string },
  finding: Pick<ScorecardFinding, 'location'>,
): string | undefined {
  if (!finding.location || !scorecard.webUrl) {
    return undefined;
  }
  const match = scorecard.webUrl.match(/^(https?:\/\/[^?#]+?)\/-\/blob\/([^/?#]+)/);
  if (!match) {
    return undefined;
  }
  const projectUrl = match[1];
  const ref = scorecard.ref ?? decodeURIComponent(match[2]);
  const file = finding.location.file
    .replace(/^\/+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return `${projectUrl}/-/blob/${encodeURIComponent(ref)}/${file}#L${finding.location.line}`;
}

/** Path of the scaffolder template that moves a project to Kubernetes runners, with the project prefilled. */
export function moveToKubernetesTemplateUrl(projectPath: string): string {
  const formData = JSON.stringify({ project: projectPath });
  return `/create/templates/default/move-to-kubernetes-runners?formData=${encodeURIComponent(formData)}`;
}
