import {
  engineConfigInputSchema,
  type EngineConfigInput,
} from './schema';
import {
  ConfigurationError,
  parseConfigurationYaml,
  validateConfiguration,
} from './errors';
import type { Severity } from '../rules/types';

export {
  ConfigurationError,
  parseConfigurationYaml,
  validateConfiguration,
  formatFieldPath,
  type ConfigurationIssue,
} from './errors';
export {
  engineConfigInputSchema,
  isoDateSchema,
  regexSourceSchema,
  type EngineConfigInput,
} from './schema';

/** Runner tags and the fleet or hardware each selects on this GitLab instance. */
export interface TagMeanings {
  legacy: string[];
  optIn: string[];
  cvmfs: string[];
  arm: string[];
  gpu: string[];
  fpga: string[];
  spark: string[];
  technicalNetwork: string[];
}

/** The engine configuration with every default applied. */
export interface EngineConfig {
  tags: TagMeanings;
  /** YYYY-MM-DD; from this day on `legacy-docker-tag` is a blocker. */
  decommissionDate: string;
  entrypointImages: RegExp[];
  namedUserImages: RegExp[];
  externalRunnerTags: RegExp[];
  otherFleetTags: string[];
  disabledRules: string[];
  severityOverrides: Record<string, Severity>;
}

/**
 * Defaults that model the example instance (docs/example-instance.md): the
 * Docker Machine fleet takes `docker`, the opt-in Kubernetes fleet
 * `k8s-default`, and it is decommissioned on 2027-03-31.
 */
export const DEFAULT_ENGINE_CONFIG_INPUT = {
  tags: {
    legacy: ['docker'],
    optIn: ['k8s-default'],
    cvmfs: ['cvmfs'],
    arm: ['arm64', 'aarch64'],
    gpu: ['gpu'],
    fpga: ['fpga'],
    spark: ['spark'],
    technicalNetwork: ['technical-network'],
  },
  decommissionDate: '2027-03-31',
  entrypointImages: [
    // The micromamba image activates its environment in _entrypoint.sh.
    '(^|/)mambaorg/micromamba(:|@|$)',
    // NGC images set up CUDA libraries and print licence terms in nvidia_entrypoint.sh.
    '^nvcr\\.io/nvidia/',
    // Images that mount CVMFS themselves do it in their entrypoint.
    'cvmfs',
  ],
  namedUserImages: [
    // USER scanner-cli in the image's Dockerfile.
    '(^|/)sonarsource/sonar-scanner-cli(:|@|$)',
  ],
  externalRunnerTags: [
    '^(mac|macos|osx|darwin|windows|win|win32|win64|shell)$',
    '^saas-(macos|windows)-',
  ],
  otherFleetTags: ['qa'],
  disabledRules: [],
  severityOverrides: {},
} satisfies EngineConfigInput;

/**
 * Validates a configuration object and fills in defaults. Lists given in
 * the input replace the default lists; they are not merged, so an
 * organisation can drop a default tag.
 *
 * @throws ConfigurationError naming each invalid field.
 */
export function resolveEngineConfig(
  input: unknown = {},
  source = 'engine configuration',
  text?: string,
): EngineConfig {
  const parsed = validateConfiguration(
    engineConfigInputSchema,
    input ?? {},
    source,
    text,
  );
  const defaults = DEFAULT_ENGINE_CONFIG_INPUT;
  return {
    tags: { ...defaults.tags, ...parsed.tags },
    decommissionDate: parsed.decommissionDate ?? defaults.decommissionDate,
    entrypointImages: (parsed.entrypointImages ?? defaults.entrypointImages).map(
      pattern => new RegExp(pattern, 'i'),
    ),
    namedUserImages: (parsed.namedUserImages ?? defaults.namedUserImages).map(
      pattern => new RegExp(pattern, 'i'),
    ),
    externalRunnerTags: (parsed.externalRunnerTags ?? defaults.externalRunnerTags).map(
      pattern => new RegExp(pattern, 'i'),
    ),
    otherFleetTags: parsed.otherFleetTags ?? defaults.otherFleetTags,
    disabledRules: parsed.disabledRules ?? [],
    severityOverrides: parsed.severityOverrides ?? {},
  };
}

/** Parses a YAML or JSON configuration file's text. */
export function parseEngineConfigText(
  text: string,
  source = 'engine configuration',
): EngineConfig {
  return resolveEngineConfig(parseConfigurationYaml(text, source), source, text);
}

/** Returns the configuration with every default, used when no file is given. */
export function defaultEngineConfig(): EngineConfig {
  return resolveEngineConfig({});
}

/** Returns true when `error` is a ConfigurationError. */
export function isConfigurationError(
  error: unknown,
): error is ConfigurationError {
  return error instanceof ConfigurationError;
}
