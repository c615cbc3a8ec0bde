import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  ConfigurationError,
  defaultEngineConfig,
  parseEngineConfigText,
  type EngineConfig,
} from '../config';
import { createDirectoryReader } from '../resolve';
import { checkProject } from '../rules/checkProject';
import { parseCustomRules } from '../rules/custom';
import { BUILTIN_RULES } from '../rules/builtin';
import { listRules } from '../rules/engine';
import type { Rule } from '../rules/types';
import { applyFixes } from '../fix';
import {
  countOf,
  formatReport,
  REPORT_FORMATS,
  type ReportFormat,
} from '../report';
import type { ReadinessLevel } from '../score/types';

/** Exit codes of `runner-fleet-ci check`. */
export const EXIT_CODES = {
  ready: 0,
  'needs-changes': 1,
  blocked: 2,
  /** Bad usage, or an invalid --config, --rules or .runner-fleet.yaml file. */
  usage: 3,
  /** The CI configuration itself has errors, so findings may be missing. */
  ciConfigError: 4,
} as const;

/** A problem with the command line itself, such as a missing path. */
class UsageError extends Error {}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
}

const defaultIo = (): CliIo => ({
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  cwd: process.env.INIT_CWD ?? process.cwd(),
});

interface CheckOptions {
  format: ReportFormat;
  output?: string;
  fix?: boolean;
  config?: string;
  rules?: string;
  date?: string;
}

/**
 * Runs the command-line tool with `argv` (the arguments after the program
 * name) and returns the exit code. Never calls process.exit, so tests can
 * run it in-process.
 */
export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let exitCode: number = EXIT_CODES.usage;
  const program = new Command('runner-fleet-ci')
    .description('Checks GitLab CI configuration for the move from Docker Machine runners to the Kubernetes executor.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command('check')
    .description('Check the CI configuration of a checkout and print the findings.')
    .argument('[path]', 'checkout to check; its .gitlab-ci.yml is the root file', '.')
    .addOption(
      new Option('-f, --format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'),
    )
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .option('--fix', 'apply automatic fixes to the checkout, keeping comments and layout')
    .option('-c, --config <file>', 'engine configuration (YAML or JSON): tag meanings, decommission date, image lists')
    .option('-r, --rules <file>', 'YAML file with custom rules')
    .option('--date <YYYY-MM-DD>', 'check as of this day instead of today (decommission date, waiver expiry)')
    .action(async (target: string, options: CheckOptions) => {
      exitCode = await check(path.resolve(io.cwd, target), options, io);
    });

  program
    .command('rules')
    .description('List the rules with their severity and title.')
    .option('-r, --rules <file>', 'YAML file with custom rules to list too')
    .option('--json', 'print the full catalogue as JSON')
    .action(async (options: { rules?: string; json?: boolean }) => {
      const custom = options.rules ? await loadRules(path.resolve(io.cwd, options.rules)) : [];
      const catalogue = listRules(custom);
      if (options.json) {
        io.stdout(`${JSON.stringify(catalogue, null, 2)}\n`);
      } else {
        for (const rule of catalogue) {
          io.stdout(`${rule.id.padEnd(32)} ${rule.severity.padEnd(8)} ${rule.autoFixable ? 'fix ' : '    '}${rule.title}\n`);
        }
      }
      exitCode = 0;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end with exit code 0; parse errors were printed by commander.
      return error.exitCode === 0 ? 0 : EXIT_CODES.usage;
    }
    if (error instanceof ConfigurationError || error instanceof UsageError) {
      io.stderr(`runner-fleet-ci: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }
}

async function readText(file: string, description: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `The ${description} ${file} was not found; check the path.`
        : `Reading the ${description} ${file} failed: ${(error as Error).message}`,
    );
  }
}

async function writeText(file: string, text: string, description: string): Promise<void> {
  try {
    await fs.writeFile(file, text, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Writing the ${description} ${file} failed: ${(error as Error).message}. Check that the folder exists and is writable.`,
    );
  }
}

async function loadRules(file: string): Promise<Rule[]> {
  const text = await readText(file, 'rules file');
  return parseCustomRules(text, path.basename(file), new Set(BUILTIN_RULES.map(rule => rule.id)));
}

function parseDate(value: string | undefined): Date {
  if (value === undefined) {
    return new Date();
  }
  const date = new Date(`${value}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--date ${JSON.stringify(value)} is not a date; write it as YYYY-MM-DD, for example 2027-04-01.`);
  }
  return date;
}

async function check(root: string, options: CheckOptions, io: CliIo): Promise<number> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new UsageError(`The checkout ${root} is not a directory; pass the folder that contains .gitlab-ci.yml.`);
  }
  const now = parseDate(options.date);
  let config: EngineConfig = defaultEngineConfig();
  if (options.config) {
    const file = path.resolve(io.cwd, options.config);
    config = parseEngineConfigText(await readText(file, 'configuration file'), path.basename(file));
  }
  const customRules = options.rules ? await loadRules(path.resolve(io.cwd, options.rules)) : [];

  const runCheck = () =>
    checkProject({
      reader: createDirectoryReader(root),
      config,
      rules: customRules,
      now,
    });
  let result = await runCheck();

  if (options.fix) {
    const fixes = applyFixes(result.pipeline, result.findings);
    for (const file of fixes.files) {
      const target = path.resolve(root, file.file);
      if (!target.startsWith(root + path.sep)) {
        io.stderr(`runner-fleet-ci: not writing ${file.file}, which is outside the checkout.\n`);
        continue;
      }
      await writeText(target, file.updated, 'fixed file');
    }
    io.stderr(
      `Applied ${countOf(fixes.applied.length, 'automatic fix', 'automatic fixes')} in ${countOf(fixes.files.length, 'file')}.\n`,
    );
    for (const skipped of fixes.skipped) {
      io.stderr(`Skipped a fix at ${skipped.fix.location.file}:${skipped.fix.location.line}: ${skipped.reason}\n`);
    }
    if (fixes.files.length > 0) {
      // Report on the fixed files, so the output and exit code describe the checkout as it is now.
      result = await runCheck();
    }
  }

  const report = formatReport(result, options.format, listRules(customRules));
  if (options.output) {
    await writeText(path.resolve(io.cwd, options.output), report, 'report');
  } else {
    io.stdout(report);
  }
  if (result.configErrors.length > 0) {
    return EXIT_CODES.ciConfigError;
  }
  return levelExitCode(result.level);
}

function levelExitCode(level: ReadinessLevel): number {
  return EXIT_CODES[level];
}
