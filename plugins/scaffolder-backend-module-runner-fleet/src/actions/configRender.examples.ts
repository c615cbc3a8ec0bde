import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Render values for a GPU runner with one A100 per job',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'runner-fleet:config:render',
          name: 'Render runner values',
          input: {
            pool: 'resource:default/pool-gpu',
            runnerName: 'ml/training @ pool-gpu',
            secretName: 'gitlab-runner-ml-training-pool-gpu',
            cpu: 8,
            memoryGiB: 64,
            accelerators: 1,
            outputPath: 'runners/pool-gpu/ml-training/values.yaml',
          },
        },
      ],
    }),
  },
  {
    description: 'Render values for a CVMFS runner that honours image entrypoints',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'runner-fleet:config:render',
          name: 'Render runner values',
          input: {
            pool: 'resource:default/pool-general-x86',
            runnerName: 'physics @ cvmfs',
            secretName: 'gitlab-runner-physics-cvmfs',
            cvmfs: true,
            honorEntrypoint: true,
            fileDescriptorLimit: 65536,
          },
        },
      ],
    }),
  },
];
