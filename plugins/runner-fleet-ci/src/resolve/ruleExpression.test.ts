import { evaluateRuleIf } from './ruleExpression';

const variables = new Map([
  ['GITLAB_CI', 'true'],
  ['CI_PROJECT_PATH', 'physics/detector-sim'],
  ['EMPTY', ''],
]);

describe('evaluateRuleIf', () => {
  it.each([
    ['$GITLAB_CI == "true"', true],
    ['$GITLAB_CI == "false"', false],
    ["$GITLAB_CI != 'false'", true],
    ['$GITLAB_CI', true],
    ['$EMPTY', false],
    ['$CI_PROJECT_PATH =~ /^physics\\//', true],
    ['$CI_PROJECT_PATH !~ /^physics\\//', false],
    ['$GITLAB_CI == "true" && $CI_COMMIT_TAG', undefined],
    ['$GITLAB_CI == "false" && $CI_COMMIT_TAG', false],
    ['$GITLAB_CI == "true" || $CI_COMMIT_TAG', true],
    ['($GITLAB_CI == "false" || $EMPTY) && $GITLAB_CI', false],
    ['$CI_COMMIT_TAG', undefined],
    ['$CI_COMMIT_TAG == null', undefined],
    ['$GITLAB_CI ==', undefined],
    ['garbage ###', undefined],
  ])('evaluates %s', (expression, expected) => {
    expect(evaluateRuleIf(expression, variables)).toBe(expected);
  });
});
