export type {
  AutoFix,
  LocatedValue,
  Rule,
  RuleContext,
  RuleDescription,
  RuleHit,
  Severity,
} from './types';
export { SEVERITIES } from './types';
export { BUILTIN_RULES, AUTO_FIXABLE_RULE_IDS } from './builtin';
export { analyzePipeline, listRules, type AnalyzeOptions } from './engine';
export { checkProject, type CheckProjectOptions, type CheckProjectResult } from './checkProject';
export {
  createDeclarativeRule,
  parseCustomRules,
  customRulesFileSchema,
  type CustomRuleDefinition,
} from './custom';
export { parseShellCommands, type ShellCommand } from './shell';
