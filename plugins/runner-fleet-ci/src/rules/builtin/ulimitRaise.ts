import type { Rule, RuleHit } from '../types';
import type { ShellCommand } from '../shell';
import { jobCommands, locateCommand } from '../job';

/** containerd 2.x's default hard open-file limit for containers. */
const CONTAINERD_NOFILE_HARD = 524288;

/** Limits that need CAP_SYS_RESOURCE or CAP_IPC_LOCK to raise at all. */
const PRIVILEGED_LIMITS = new Set(['l', 'r', 'e', 'q']);

/** Returns why a `ulimit` call raises a limit beyond what a pod may, or undefined. */
function raiseReason(command: ShellCommand): string | undefined {
  const args = command.args;
  const value = args.find(arg => /^(\d+|unlimited)$/.test(arg));
  if (value === undefined) {
    return undefined;
  }
  const letters = args
    .filter(arg => arg.startsWith('-'))
    .map(arg => arg.slice(1))
    .join('');
  if (letters.includes('H')) {
    return `\`ulimit ${args.join(' ')}\` sets a hard limit`;
  }
  const limit = [...letters].find(letter => letter !== 'S') ?? 'f';
  if (PRIVILEGED_LIMITS.has(limit)) {
    return `\`ulimit -${limit}\` needs a capability that job containers do not have`;
  }
  if (value === 'unlimited' && limit !== 'n') {
    return `\`ulimit ${args.join(' ')}\` raises a limit to unlimited`;
  }
  if (limit === 'n' && (value === 'unlimited' || Number(value) > CONTAINERD_NOFILE_HARD)) {
    return `\`ulimit ${args.join(' ')}\` asks for more open files than the container's hard limit`;
  }
  return undefined;
}

/**
 * `ulimit-raise`
 *
 * Why it matters: Docker on the old VMs was configured with generous
 * default limits and privileged containers could raise them. A job
 * container on Kubernetes has no CAP_SYS_RESOURCE, so raising a hard limit
 * fails with "Operation not permitted" and the shell, under `set -e`,
 * stops the job.
 *
 * Detection: `ulimit` calls that set a hard limit (`-H`), raise a limit to
 * `unlimited`, raise the memory-lock, real-time or priority limits, or
 * ask for more than 524,288 open files (the hard limit containerd 2.x
 * gives containers).
 *
 * Fix: drop the call, or raise only the soft limit up to the hard one:
 * `ulimit -S -n "$(ulimit -H -n)"`. Lowering a limit is always allowed.
 */
export const ulimitRaise: Rule = {
  id: 'ulimit-raise',
  severity: 'warning',
  title: 'Script raises a resource limit',
  rationale:
    'Job containers on Kubernetes lack CAP_SYS_RESOURCE, so raising a hard limit fails with "Operation not permitted" where a privileged Docker container could.',
  detection:
    '`ulimit` calls that set a hard limit (-H), raise a limit to unlimited, raise the memory-lock, real-time or priority limits, or ask for more than 524,288 open files.',
  fix: 'Drop the call, or raise only the soft limit up to the hard one: `ulimit -S -n "$(ulimit -H -n)"`.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const located of jobCommands(job)) {
      if (located.command.name !== 'ulimit') {
        continue;
      }
      const reason = raiseReason(located.command);
      if (reason) {
        hits.push({
          message: `Job "${job.name}": ${reason}, which fails without CAP_SYS_RESOURCE.`,
          location: locateCommand(job, pipeline, located),
        });
      }
    }
    return hits;
  },
};
