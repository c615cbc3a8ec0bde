import type { Rule, RuleHit } from '../types';
import { jobServices, referencedVariables, locateOrJob, matchScriptText } from '../job';

const IPV4_LOOPBACK = /(?<![\d.])127\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d])/;

/**
 * `ipv4-loopback-literal`
 *
 * Why it matters: pods on the Kubernetes fleets have IPv6-only networks.
 * A server bound to 127.0.0.1 cannot be reached at `localhost` (which
 * resolves to ::1 first), a client that dials 127.0.0.1 cannot reach a
 * service container that listens on IPv6, and some images have no IPv4
 * loopback address at all.
 *
 * Detection: an address in 127.0.0.0/8 in a script line, in a job
 * variable or a top-level variable that the job's scripts refer to, or in
 * a service command.
 *
 * Fix: use `localhost` and bind servers to `::` (all addresses) or `::1`;
 * reach services by their alias.
 */
export const ipv4LoopbackLiteral: Rule = {
  id: 'ipv4-loopback-literal',
  severity: 'warning',
  title: 'IPv4 loopback address on an IPv6-only pod network',
  rationale:
    'Job pods have IPv6-only networks: servers bound to 127.0.0.1 are not reachable at localhost (::1), and clients dialling 127.0.0.1 miss services that listen on IPv6.',
  detection:
    'An address in 127.0.0.0/8 in a script line, a job variable (or a top-level variable the scripts refer to) or a service command.',
  fix: 'Use `localhost` in clients, bind servers to `::` or `::1`, and reach services by their alias.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const { match, location } of matchScriptText(job, pipeline, IPV4_LOOPBACK)) {
      hits.push({
        message: `Job "${job.name}" uses the IPv4 loopback address ${match[0]} in its script.`,
        location,
      });
    }
    for (const variable of referencedVariables(job, pipeline)) {
      const match = IPV4_LOOPBACK.exec(variable.value);
      if (match) {
        hits.push({
          message: `Variable ${variable.name}${
            variable.scope === 'global' ? ' (top level)' : ''
          } seen by job "${job.name}" contains the IPv4 loopback address ${match[0]}.`,
          location: variable.location ?? job.location,
        });
      }
    }
    for (const service of jobServices(job)) {
      const part = service.command?.find(entry => IPV4_LOOPBACK.test(entry));
      if (part !== undefined) {
        hits.push({
          message: `Service \`${service.name}\` of job "${job.name}" is started with the IPv4 loopback address in \`${part}\`.`,
          location: locateOrJob(job, [...service.basePath, 'command']),
        });
      }
    }
    return hits;
  },
};
