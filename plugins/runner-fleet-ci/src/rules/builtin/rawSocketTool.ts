import type { Rule, RuleHit } from '../types';
import { jobCommands, locateCommand } from '../job';

/** Tools that open raw or packet sockets and so need CAP_NET_RAW. */
const RAW_SOCKET_TOOLS = new Set([
  'ping',
  'ping6',
  'traceroute',
  'traceroute6',
  'arping',
  'mtr',
  'tcpdump',
  'tshark',
  'dumpcap',
  'nmap',
  'nping',
  'hping3',
  'fping',
  'arp-scan',
]);

/**
 * `raw-socket-tool`
 *
 * Why it matters: the Kubernetes fleets drop the NET_RAW capability from
 * job containers. Tools that send ICMP or capture packets through raw
 * sockets fail with "Operation not permitted", although the same command
 * worked on Docker Machine, where NET_RAW is a default capability.
 *
 * Detection: a script command named ping, ping6, traceroute, arping, mtr,
 * tcpdump, tshark, dumpcap, nmap, nping, hping3, fping or arp-scan.
 *
 * Fix: check reachability over TCP or HTTP instead, for example
 * `curl --retry 10 --retry-connrefused http://service:port/` or
 * `nc -z service port`; wait for a service with a TCP check.
 */
export const rawSocketTool: Rule = {
  id: 'raw-socket-tool',
  severity: 'blocker',
  title: 'Script uses a tool that needs raw sockets',
  rationale:
    'Job containers on the Kubernetes fleets run without the NET_RAW capability, so ICMP and packet-capture tools fail with "Operation not permitted".',
  detection:
    'A script command named ping, ping6, traceroute, arping, mtr, tcpdump, tshark, dumpcap, nmap, nping, hping3, fping or arp-scan.',
  fix: 'Check reachability over TCP or HTTP instead, for example `nc -z host port` or `curl --retry 10 --retry-connrefused http://host:port/`.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const located of jobCommands(job)) {
      const { command } = located;
      if (!RAW_SOCKET_TOOLS.has(command.name)) {
        continue;
      }
      if (command.args.some(arg => arg === '--version' || arg === '-V' || arg === '--help')) {
        continue;
      }
      hits.push({
        message: `Job "${job.name}" runs \`${command.name}\`, which needs the NET_RAW capability that job containers do not have.`,
        location: locateCommand(job, pipeline, located),
      });
    }
    return hits;
  },
};
