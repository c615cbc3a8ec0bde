import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Locate the infrastructure repository before opening a merge request there',
    example: stringify({
      steps: [
        {
          id: 'infrastructure',
          action: 'runner-fleet:project:locate',
          name: 'Locate the infrastructure repository',
          input: { project: 'platform/runner-infrastructure' },
        },
      ],
    }),
  },
  {
    description: 'Locate a project and require the Developer role on it',
    example: stringify({
      steps: [
        {
          id: 'project',
          action: 'runner-fleet:project:locate',
          name: 'Locate the project',
          input: { project: 'physics/atlas-analysis', minimumAccessLevel: 30 },
        },
      ],
    }),
  },
];
