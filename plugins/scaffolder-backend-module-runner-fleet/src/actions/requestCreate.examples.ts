import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Request an FPGA runner; the pool is restricted, so this writes a request for approval',
    example: stringify({
      steps: [
        {
          id: 'request',
          action: 'runner-fleet:request:create',
          name: 'Check the request',
          input: {
            pool: 'resource:default/pool-fpga',
            targetKind: 'project',
            targetPath: 'hardware/trigger-firmware',
            tags: ['fpga', 'trigger-u55c'],
            description: 'hardware/trigger-firmware @ pool-fpga',
            cpu: 8,
            memoryGiB: 32,
            accelerators: 1,
            justification: 'Nightly synthesis and on-board tests of the trigger firmware need a U55C card.',
          },
        },
      ],
    }),
  },
];
