import type { Rule } from '../types';
import { jobCommands, jobImage, locateOrJob } from '../job';

/**
 * Image names of CentOS 7 and the distributions built from the same
 * sources, and of their EL6 predecessors, whose older rpm has the same
 * loop over every possible descriptor.
 */
const CENTOS7_IMAGES = [
  /(^|\/)centos:(centos)?[67]([.-]|$)/,
  /(^|[/_:-])(centos|cc|cs|el|slc|rhel|ubi|sl)[67]([^\d]|$)/,
  /(^|\/)(oraclelinux|sl|scientificlinux):[67]([.-]|$)/,
  /manylinux(2010|2014|_2_12|_2_17)/,
];

/** True when the image name looks like CentOS 7 or a rebuild of it. */
export function isCentos7Image(name: string): boolean {
  const lower = name.toLowerCase();
  return CENTOS7_IMAGES.some(pattern => pattern.test(lower));
}

/**
 * `centos7-image-ulimit`
 *
 * Why it matters: containerd on the Kubernetes nodes starts containers
 * with an open-file limit of about a billion. Tools in CentOS 7 (yum, rpm,
 * older Python and daemons) close every possible descriptor at start, so
 * each call loops a billion times and the job crawls or hits its timeout.
 *
 * Detection: the job image is CentOS 7 or a rebuild (cc7, el7, slc7,
 * ubi7, manylinux2014, ...) or an EL6 image such as centos:6 or slc6,
 * and no script line lowers `ulimit -n`.
 *
 * Fix: run `ulimit -n 65536` first in `before_script` (the platform team
 * sets a limit in the runners' `pre_build_script` where it can), or move
 * to an EL9 image.
 */
export const centos7ImageUlimit: Rule = {
  id: 'centos7-image-ulimit',
  severity: 'warning',
  title: 'CentOS 7 image under an unlimited open-file limit',
  rationale:
    'containerd gives containers an open-file limit of about a billion, and CentOS 7 tools such as yum and rpm close every possible descriptor at start, so jobs crawl or time out.',
  detection:
    'The job image is CentOS 7 or a rebuild of it (cc7, el7, slc7, ubi7, manylinux2014 and similar) or an EL6 image, and no script line sets `ulimit -n` to a number.',
  fix: 'Add `ulimit -n 65536` as the first `before_script` line, or move to an EL9 image.',
  check(job) {
    const image = jobImage(job);
    if (!image || !isCentos7Image(image.name)) {
      return [];
    }
    const lowersLimit = jobCommands(job).some(
      ({ command }) =>
        command.name === 'ulimit' &&
        command.args.some(arg => /^-\w*n/.test(arg)) &&
        command.args.some(arg => /^\d+$/.test(arg)),
    );
    if (lowersLimit) {
      return [];
    }
    return [
      {
        message: `Job "${job.name}" uses the CentOS 7 image \`${image.name}\`, whose tools slow down under containerd's open-file limit.`,
        location: locateOrJob(job, image.path),
      },
    ];
  },
};
