import type { ResolvedJob, ResolvedPipeline } from '../../model';
import { jobVariables } from '../job';

/** Entrypoints that only start a shell, which the Kubernetes executor does anyway. */
const SHELL_ENTRYPOINT = /^(\/usr)?(\/bin\/)?(ba|da|z|a)?sh$|^(\/usr)?\/bin\/env$|^-[a-z]+$|^-c$|^--$|^(\/usr)?\/bin\/(ba)?sh\s+-\w*c$/;

/**
 * True when the entrypoint is empty, only starts a shell, or is `env`
 * setting nothing but PATH. Such overrides only replace an image's tool
 * entrypoint, and the Kubernetes executor's shell keeps the image's PATH.
 */
export function isNeutralEntrypoint(entrypoint: string[]): boolean {
  const parts = entrypoint.map(part => part.trim()).filter(part => part !== '');
  return parts.every(part => SHELL_ENTRYPOINT.test(part) || /^PATH=[^$`]*$/.test(part));
}

/** True when FF_KUBERNETES_HONOR_ENTRYPOINT is set to a true value for the job. */
export function honorsEntrypoint(job: ResolvedJob, pipeline: ResolvedPipeline): boolean {
  return jobVariables(job, pipeline).some(
    variable =>
      variable.name === 'FF_KUBERNETES_HONOR_ENTRYPOINT' &&
      /^(true|1|yes|on)$/i.test(variable.value.trim()),
  );
}
