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
    Boolean(
      annotations[PROJECT_SLUG_ANNOTATION] ||
        annotations[PROJECT_ID_ANNOTATION],
    )
  );
}

/** GitLab project path or id of an entity, path preferred. */
export function projectRefOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  return (
    annotations[PROJECT_SLUG_ANNOTATION] ||
    annotations[PROJECT_ID_ANNOTATION] ||
    undefined
  );
}

/**
 * Builds the link to a finding's line in GitLab,
 * `<gitlab web url>/<project>/-/blob/<ref>/<file>#L<line>`. The scorecard's
 * `webUrl` is either the project's web URL, as the backend stores it, or a
 * link into a file (`.../-/blob/<ref>/<file>`), whose ref then counts.
 * Returns undefined without a location or web URL.
 */
export function findingUrl(
  scorecard: Pick<ProjectScorecard, 'webUrl'> & { ref?: string },
  finding: Pick<ScorecardFinding, 'location'>,
): string | undefined {
  if (
    !finding.location ||
    !scorecard.webUrl ||
    !/^https?:\/\//.test(scorecard.webUrl)
  ) {
    return undefined;
  }
  const blob = scorecard.webUrl.match(/^([^?#]+?)\/-\/blob\/([^/?#]+)/);
  const projectUrl = (
    blob ? blob[1] : scorecard.webUrl.replace(/[?#].*$/, '')
  ).replace(/\/+$/, '');
  // NOTE: without a ref, GitLab resolves HEAD to the default branch, which the
  // backend evaluates. A line can move if the file changed since then.
  const ref = scorecard.ref ?? (blob ? decodeURIComponent(blob[2]) : 'HEAD');
  const file = finding.location.file
    .replace(/^\/+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return `${projectUrl}/-/blob/${encodeURIComponent(ref)}/${file}#L${
    finding.location.line
  }`;
}

/** Path of the scaffolder template that moves a project to Kubernetes runners, with the project prefilled. */
export function moveToKubernetesTemplateUrl(projectPath: string): string {
  const formData = JSON.stringify({ project: projectPath });
  return `/create/templates/default/move-to-kubernetes-runners?formData=${encodeURIComponent(
    formData,
  )}`;
}
