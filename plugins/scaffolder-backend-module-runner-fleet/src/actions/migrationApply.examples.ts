import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Fetch a project, apply the automatic migration fixes and open a merge request',
    example: stringify({
      steps: [
        {
          id: 'fetch',
          action: 'fetch:plain',
          name: 'Fetch the project',
          input: { url: 'https://gitlab.example.org/physics/atlas-analysis/-/tree/main', targetPath: 'project' },
        },
        {
          id: 'migrate',
          action: 'runner-fleet:migration:apply',
          name: 'Apply migration fixes',
          input: { sourcePath: 'project', projectPath: 'physics/atlas-analysis' },
        },
      ],
    }),
  },
];
