import type { Rule, RuleHit } from '../types';
import { jobCommands, locateCommand } from '../job';

/** Commands that stop or wait for background processes. */
const CLEANUP_COMMANDS = new Set(['kill', 'pkill', 'killall', 'wait', 'trap', 'fuser']);

/**
 * `background-process-leak`
 *
 * Why it matters: the Kubernetes executor runs each script step through
 * an exec stream into the build container and waits until every process
 * holding the stream's stdout or stderr exits. A server started with `&`
 * keeps the stream open, so the step hangs until the job times out. On the
 * Docker executor the step ended with its shell.
 *
 * Detection: a command run in the background with `&` whose stdout and
 * stderr are not both redirected, in a job that never calls kill, pkill,
 * killall, wait or trap.
 *
 * Fix: redirect the output (`server > server.log 2>&1 &`), remember the
 * process id and stop it at the end (`kill "$SERVER_PID"`), or use a
 * `services` entry.
 */
export const backgroundProcessLeak: Rule = {
  id: 'background-process-leak',
  severity: 'warning',
  title: 'Background process keeps the script step open',
  rationale:
    'The Kubernetes executor waits until every process holding the exec stream exits, so a background server that keeps stdout open makes the step hang until the job times out.',
  detection:
    'A command started with `&` whose stdout and stderr are not both redirected, in a job that never calls kill, pkill, killall, wait or trap.',
  fix: 'Redirect its output (`server > server.log 2>&1 &`) and stop it at the end (`kill "$SERVER_PID"`), or run it as a `services` entry.',
  check(job, { pipeline }) {
    const commands = jobCommands(job);
    const hits: RuleHit[] = [];
    // A `trap ... EXIT` usually comes before the background command, so
    // cleanup anywhere in the job counts.
    const cleansUp = commands.some(other => CLEANUP_COMMANDS.has(other.command.name));
    if (cleansUp) {
      return [];
    }
    commands.forEach(located => {
      const { command } = located;
      if (!command.background || command.outputRedirected) {
        return;
      }
      hits.push({
        message: `Job "${job.name}" starts \`${command.name}\` in the background without redirecting its output or stopping it, which can hang the step on Kubernetes.`,
        location: locateCommand(job, pipeline, located),
      });
    });
    return hits;
  },
};
