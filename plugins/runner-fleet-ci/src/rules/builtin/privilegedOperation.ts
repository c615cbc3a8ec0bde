import type { Rule, RuleHit } from '../types';
import type { ShellCommand } from '../shell';
import { jobCommands, locateCommand, matchScriptText } from '../job';

/** Commands that always need capabilities a job pod does not have. */
const ALWAYS_PRIVILEGED = new Set([
  'umount',
  'modprobe',
  'insmod',
  'rmmod',
  'losetup',
  'mknod',
  'swapon',
  'swapoff',
  'setenforce',
  'nsenter',
  'unshare',
  'iptables',
  'ip6tables',
  'nft',
  'brctl',
  'debootstrap',
]);

/** `ip` subcommands and actions that change the pod's network. */
const IP_OBJECTS = new Set(['link', 'l', 'addr', 'address', 'a', 'route', 'r', 'netns', 'tuntap']);
const IP_CHANGES = new Set(['add', 'set', 'del', 'delete', 'change', 'replace', 'flush']);

const DEVICE_PATHS = /\/dev\/(kvm|fuse|loop\d*|net\/tun)\b/;

/** Returns why `command` needs privileges, or undefined when it does not. */
function privilegedReason(command: ShellCommand): string | undefined {
  const { name, args } = command;
  if (args.includes('--privileged') || args.some(arg => arg.startsWith('--privileged='))) {
    return `\`${name} --privileged\` asks for a privileged container`;
  }
  if (ALWAYS_PRIVILEGED.has(name)) {
    return `\`${name}\` needs capabilities that job pods do not have`;
  }
  if (name === 'mount') {
    const listsOnly = args.every(arg => ['-l', '--list', '-v', '--version', '-h', '--help'].includes(arg));
    return listsOnly ? undefined : '`mount` needs CAP_SYS_ADMIN';
  }
  if (name === 'sysctl') {
    const writes = args.some(arg => arg === '-w' || arg === '--write' || (/^[\w.]+=/.test(arg)));
    return writes ? '`sysctl` writes kernel parameters, which needs privileges' : undefined;
  }
  if (name === 'ip' && args.length >= 2) {
    const positional = args.filter(arg => !arg.startsWith('-'));
    if (IP_OBJECTS.has(positional[0]) && IP_CHANGES.has(positional[1])) {
      return `\`ip ${positional[0]} ${positional[1]}\` changes the network, which needs CAP_NET_ADMIN`;
    }
  }
  if (name === 'tc' && args.some(arg => IP_CHANGES.has(arg))) {
    return '`tc` changes traffic control, which needs CAP_NET_ADMIN';
  }
  return undefined;
}

/**
 * `privileged-operation`
 *
 * Why it matters: the Docker Machine runners ran jobs in privileged
 * containers on single-tenant VMs. The Kubernetes fleets run unprivileged
 * pods in user namespaces, where root in the container is not root on the
 * node: mounting, loading kernel modules, writing sysctls, creating
 * devices or changing the network fail with "Operation not permitted".
 *
 * Detection: commands such as `mount` (other than listing), `umount`,
 * `modprobe`, `sysctl -w`, `losetup`, `mknod`, `unshare`, `nsenter`,
 * `iptables`, `ip link add`, `debootstrap`, any `--privileged` option, and
 * device paths such as /dev/kvm, /dev/fuse and /dev/loop*.
 *
 * Fix: do the work without privileges (for example `guestfish`,
 * `mtools`/`genisoimage` or `fakeroot` for image building, user-space
 * tools for networks), or ask the platform team for a dedicated runner.
 */
export const privilegedOperation: Rule = {
  id: 'privileged-operation',
  severity: 'blocker',
  title: 'Script needs a privileged container',
  rationale:
    'Job pods on the Kubernetes fleets are unprivileged and run in user namespaces, so root in the container cannot mount, load kernel modules, write sysctls, create devices or change the network.',
  detection:
    'Commands such as `mount`, `umount`, `modprobe`, `sysctl -w`, `losetup`, `mknod`, `unshare`, `nsenter`, `iptables`, `ip link add` or `debootstrap`, a `--privileged` option, or device paths such as /dev/kvm, /dev/fuse and /dev/loop*.',
  fix: 'Do the work with user-space tools that need no privileges (for example fakeroot, mtools or guestfish for disk images), or ask the platform team about a dedicated runner.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    const lines = new Set<string>();
    for (const located of jobCommands(job)) {
      const reason = privilegedReason(located.command);
      if (!reason) {
        continue;
      }
      const location = locateCommand(job, pipeline, located);
      lines.add(`${location.file}:${location.line}`);
      hits.push({
        message: `Job "${job.name}": ${reason}.`,
        location,
      });
    }
    for (const { match, location } of matchScriptText(job, pipeline, DEVICE_PATHS)) {
      if (lines.has(`${location.file}:${location.line}`)) {
        continue;
      }
      hits.push({
        message: `Job "${job.name}" uses the device ${match[0]}, which job pods do not have.`,
        location,
      });
    }
    return hits;
  },
};
