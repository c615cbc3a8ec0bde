import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Create a project runner on the ARM pool',
    example: stringify({
      steps: [
        {
          id: 'runner',
          action: 'runner-fleet:runner:create',
          name: 'Create runner',
          input: {
            pool: 'resource:default/pool-arm64',
            targetKind: 'project',
            targetPath: 'software/arm-builds',
            tags: ['arm64', 'software-arm'],
            description: 'software/arm-builds @ pool-arm64',
          },
        },
      ],
    }),
  },
  {
    description: 'Create a group runner and store its token under a chosen key',
    example: stringify({
      steps: [
        {
          id: 'runner',
          action: 'runner-fleet:runner:create',
          name: 'Create runner',
          input: {
            pool: 'resource:default/pool-gpu',
            targetKind: 'group',
            targetPath: 'ml',
            tags: ['gpu', 'ml-a100'],
            description: 'ml @ pool-gpu',
            variableKey: 'RUNNER_TOKEN_ML_GPU',
            protectedBranchesOnly: true,
          },
        },
      ],
    }),
  },
];
