/**
 * Explanations of the cases where our resolver and gitlab-ci-local differ,
 * written after reading each case. `owner` states whose behaviour differs from
 * GitLab's, or why the case could not be compared.
 */
export interface Explanation {
  owner:
    | 'our bug'
    | 'gitlab-ci-local differs from GitLab'
    | 'gitlab-ci-local feature we do not model'
    | 'validation we do not model'
    | 'needs network'
    | 'both reject';
  summary: string;
}

const notValidated = (what: string): Explanation => ({
  owner: 'validation we do not model',
  summary: `gitlab-ci-local rejects the file because ${what}. GitLab rejects it too; our resolver resolves jobs and leaves this check to the migration rules, so it returns the jobs without an error.`,
});

const networkNeeded = (what: string): Explanation => ({
  owner: 'needs network',
  summary: `The case includes ${what}, which gitlab-ci-local fetches over the network; it runs without network here, so it fails. Ours reports the include as include-missing or include-not-allowed with file and line.`,
});

const componentInputsFile: Explanation = {
  owner: 'gitlab-ci-local feature we do not model',
  summary:
    'gitlab-ci-local passes the inputs in .gitlab-ci-local-inputs.yml (a file of its own) to the component. GitLab and our resolver see no such inputs, so the component uses its `spec:inputs` defaults and the job names and scripts built from them differ.',
};

export const EXPLANATIONS: Record<string, Explanation> = {
  'component-inputs-cli': componentInputsFile,
  'component-inputs-edge-cases': componentInputsFile,
  'component-inputs-multiple': componentInputsFile,
  'include-rules': {
    owner: 'gitlab-ci-local differs from GitLab',
    summary:
      'The includes are chosen by `rules:if` on $GITLAB_CI. gitlab-ci-local sets GITLAB_CI to "false" because it runs locally; on GitLab it is "true", which our resolver uses, so each tool includes the other file. The rule on $CI_COMMIT_TAG cannot be known offline, so ours includes that file (assumes the rule matches) and gitlab-ci-local, with no tag, does not.',
  },
  'variables-null': {
    owner: 'gitlab-ci-local differs from GitLab',
    summary:
      "A variable written without a value is null in YAML. gitlab-ci-local turns it into an empty string; our resolver keeps null, as GitLab's merged YAML does, and leaves the run-time meaning (an empty variable) to the rules.",
  },
  'cache-paths-not-array': notValidated('`cache:paths` is not a list'),
  completion: {
    owner: 'both reject',
    summary:
      'The case includes a local file that does not exist; both tools report it.',
  },
  'dependencies-not-found': notValidated(
    '`dependencies` names a job that does not exist',
  ),
  'include-invalid-local': {
    owner: 'both reject',
    summary:
      'The local include does not exist; both tools report it, ours as include-missing with the include line.',
  },
  'include-invalid-project-file-ref': networkNeeded(
    'a file of another project',
  ),
  'include-invalid-remote': networkNeeded('a remote URL'),
  'include-local': {
    owner: 'both reject',
    summary:
      'The include path is ${CI_INCLUDE_LOCAL}, a variable that is not defined in the file; gitlab-ci-local gets an empty path and ours reports include-missing naming the variable and the includeVariables option.',
  },
  'include-project-file-ref-with-inner-local': networkNeeded(
    'a file of another project',
  ),
  'include-project-file-wildcard': networkNeeded(
    'a wildcard of files in another project',
  ),
  'include-project-file-with-variable': networkNeeded(
    'a file of another project whose name is a variable',
  ),
  'include-remote': networkNeeded('remote URLs'),
  'include-template': networkNeeded('a GitLab template'),
  'invalid-stages': {
    owner: 'both reject',
    summary: '`stages` is a string instead of a list; both tools report it.',
  },
  'needs-contains-dependencies': notValidated(
    '`needs` does not contain every job in `dependencies`',
  ),
  'needs-empty-entry': notValidated('`needs` has an empty entry'),
  'needs-invalid-stage': notValidated(
    '`needs` points to a job in a later stage',
  ),
  'needs-not-array': notValidated('`needs` is not a list'),
  'needs-parallel-matrix-expressions-non-parallel-consumer': notValidated(
    'a job uses `$[[ matrix.X ]]` in `needs` without `parallel:matrix`',
  ),
  'needs-parallel-matrix-expressions-unknown-identifier': notValidated(
    '`$[[ matrix.NOPE ]]` names a matrix variable that does not exist',
  ),
  'needs-unspecified-job': notValidated(
    '`needs` names a job that does not exist',
  ),
  'no-script': {
    owner: 'both reject',
    summary: 'The job has no script; both tools report it.',
  },
  'reference-circular-chain': {
    owner: 'both reject',
    summary:
      'A !reference points to the list that contains it. Both tools report the circular chain. Our first run missed it and returned the job with an empty script; the resolver now reports it as reference-missing.',
  },
  'rules-blank': notValidated('`rules` is an empty list'),
  'rules-changes': {
    owner: 'gitlab-ci-local feature we do not model',
    summary:
      'gitlab-ci-local evaluates `rules:changes` with git against the default branch and fails in the temporary checkout, which has no remote branch. Our resolver does not evaluate job rules.',
  },
  'rules-curly-bracket-if': notValidated(
    '`rules:if` uses ${VAR} instead of $VAR',
  ),
  'schema-validation': notValidated(
    "it breaks GitLab's JSON schema for CI files",
  ),
  'script-blank': {
    owner: 'both reject',
    summary:
      'The job has an empty script list; both tools report it. Our first run accepted it; the resolver now reports it as invalid-config.',
  },
  'stage-not-found': notValidated(
    'a job uses a stage that `stages` does not list',
  ),
  when: notValidated('`when: never` is used outside `rules`'),
};

/** Cases whose gitlab-ci-local output is stored for src/resolve/differential.test.ts. */
export const EXPECTED_CASES: string[] = [
  'before-script-default',
  'extends',
  'reference',
  'services',
  'include-local-wildcard',
  'duplicated-keys',
  'comment-directive-anchor',
  'scripts-as-string',
];
