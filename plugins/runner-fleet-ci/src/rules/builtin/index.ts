import type { Rule } from '../types';
import { legacyDockerTag } from './legacyDockerTag';
import { temporaryOptInTag } from './temporaryOptInTag';
import { untaggedJob } from './untaggedJob';
import { dockerInDockerService } from './dockerInDockerService';
import { dockerCliInScript } from './dockerCliInScript';
import { dockerHostVariable } from './dockerHostVariable';
import { dockerSocketMount } from './dockerSocketMount';
import { privilegedOperation } from './privilegedOperation';
import { rawSocketTool } from './rawSocketTool';
import { ipv4LoopbackLiteral } from './ipv4LoopbackLiteral';
import { servicePortClash } from './servicePortClash';
import { serviceNotAwaited } from './serviceNotAwaited';
import { imageEntrypointOverride } from './imageEntrypointOverride';
import { imageEntrypointReliance } from './imageEntrypointReliance';
import { entrypointReadsCiVariables } from './entrypointReadsCiVariables';
import { centos7ImageUlimit } from './centos7ImageUlimit';
import { ulimitRaise } from './ulimitRaise';
import { cvmfsWithoutCvmfsRunner } from './cvmfsWithoutCvmfsRunner';
import { architectureSpecific } from './architectureSpecific';
import { acceleratorRequired } from './acceleratorRequired';
import { nonNumericImageUser } from './nonNumericImageUser';
import { hardcodedBuildsPath } from './hardcodedBuildsPath';
import { kubernetesResourceOverride } from './kubernetesResourceOverride';
import { backgroundProcessLeak } from './backgroundProcessLeak';
import { unknownRunnerTag } from './unknownRunnerTag';

/** The rules shipped with the engine, in report order. */
export const BUILTIN_RULES: readonly Rule[] = [
  legacyDockerTag,
  temporaryOptInTag,
  untaggedJob,
  unknownRunnerTag,
  dockerInDockerService,
  dockerCliInScript,
  dockerHostVariable,
  dockerSocketMount,
  privilegedOperation,
  rawSocketTool,
  ipv4LoopbackLiteral,
  servicePortClash,
  serviceNotAwaited,
  imageEntrypointOverride,
  imageEntrypointReliance,
  entrypointReadsCiVariables,
  centos7ImageUlimit,
  ulimitRaise,
  cvmfsWithoutCvmfsRunner,
  architectureSpecific,
  acceleratorRequired,
  nonNumericImageUser,
  hardcodedBuildsPath,
  kubernetesResourceOverride,
  backgroundProcessLeak,
];

/** Ids of the rules that can produce automatic fixes. */
export const AUTO_FIXABLE_RULE_IDS: ReadonlySet<string> = new Set([
  legacyDockerTag.id,
  temporaryOptInTag.id,
  hardcodedBuildsPath.id,
]);
