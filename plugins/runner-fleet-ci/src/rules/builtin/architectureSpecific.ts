import type { Rule } from '../types';
import { jobImage, jobTags, locateOrJob } from '../job';

/** Image name patterns that show an architecture, checked on the lowercase name. */
const ARM_IMAGE = /(^|\/)arm(64v8|32v[5-7])\/|aarch64|(^|[/:_-])arm64([^\w]|$)/;
const AMD64_ONLY_IMAGE = /(^|\/)amd64\/|x86_64|(^|[:_-])amd64([^\w]|$)/;
const UNSUPPORTED_IMAGE = /(^|\/)(ppc64le|s390x|riscv64|mips64le)\/|[:_-](ppc64le|s390x|riscv64)([^\w]|$)/;

/**
 * `architecture-specific`
 *
 * Why it matters: a container image runs only on nodes of its
 * architecture. The Kubernetes default fleet runs on amd64 nodes and only
 * the ARM fleet (tags `arm64`, `aarch64`) on arm64 nodes; the Docker
 * Machine VMs could emulate other architectures with binfmt, the pods
 * cannot. A mismatch fails with "exec format error".
 *
 * Detection: the job image is for arm (arm64v8/, aarch64, arm64 in the
 * name or tag) but the job has no ARM tag; the job has an ARM tag but its
 * image is amd64-only; or the image is for an architecture no fleet has
 * (ppc64le, s390x, riscv64). Cross-compilation images, whose names
 * contain `cross`, run on amd64 and are not reported.
 *
 * Fix: add the ARM tag, use a multi-architecture image, or cross-compile
 * on amd64.
 */
export const architectureSpecific: Rule = {
  id: 'architecture-specific',
  severity: 'blocker',
  title: 'Image architecture does not match the fleet',
  rationale:
    'Pods run images natively: the default fleet has amd64 nodes and only the ARM fleet has arm64 nodes, without the emulation some Docker Machine VMs had, so a mismatch fails with "exec format error".',
  detection:
    'An arm image in a job without an ARM tag, an amd64-only image in a job with an ARM tag, or an image for an architecture no fleet has (ppc64le, s390x, riscv64).',
  fix: 'Add the ARM tag (`arm64`), use a multi-architecture image, or cross-compile on amd64.',
  check(job, { config }) {
    const image = jobImage(job);
    if (!image) {
      return [];
    }
    const name = image.name.toLowerCase();
    // Cross-compilation images (`...-cross-aarch64`) run on amd64 and only
    // build for the named architecture.
    if (/(^|[/_-])cross([_-]|$)/.test(name)) {
      return [];
    }
    const armTags = new Set(config.tags.arm);
    const onArm = jobTags(job).some(({ tag }) => armTags.has(tag));
    const location = locateOrJob(job, image.path);
    if (UNSUPPORTED_IMAGE.test(name)) {
      return [
        {
          message: `Job "${job.name}" uses \`${image.name}\`, built for an architecture that no Kubernetes fleet has.`,
          location,
        },
      ];
    }
    if (!onArm && ARM_IMAGE.test(name)) {
      return [
        {
          message: `Job "${job.name}" uses the arm image \`${image.name}\` but has no ARM tag (${config.tags.arm
            .map(tag => `\`${tag}\``)
            .join(', ')}), so it lands on amd64 nodes.`,
          location,
        },
      ];
    }
    if (onArm && AMD64_ONLY_IMAGE.test(name)) {
      return [
        {
          message: `Job "${job.name}" runs on the ARM fleet but uses the amd64 image \`${image.name}\`.`,
          location,
        },
      ];
    }
    return [];
  },
};
