import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { OwnedProjectPicker, ownedPathOptions } from './OwnedProjectPicker';
import { componentEntities } from './testEntities';

const identityApi = {
  getBackstageIdentity: async () => ({
    type: 'user' as const,
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: ['user:default/alice', 'group:default/physics'],
  }),
};

async function renderPicker(options: { targetKind?: string; formData?: string; kind?: string } = {}) {
  const onChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, new InMemoryCatalogClient({ entities: componentEntities })],
        [identityApiRef, identityApi as any],
      ]}
    >
      <OwnedProjectPicker
        {...({} as any)}
        onChange={onChange}
        formData={options.formData}
        required
        rawErrors={[]}
        schema={{ title: 'GitLab project or group' }}
        uiSchema={{ 'ui:options': options.kind ? { kind: options.kind } : {} }}
        idSchema={{ $id: 'root_targetPath' } as any}
        formContext={{ formData: { targetKind: options.targetKind } }}
      />
    </TestApiProvider>,
  );
  return { onChange, input: screen.getByRole('textbox', { name: /GitLab project or group/ }) };
}

async function optionTexts() {
  const options = await screen.findAllByRole('option');
  return options.map(o => o.textContent);
}

describe('OwnedProjectPicker', () => {
  it('lists projects of components the user owns', async () => {
    const { input } = await renderPicker();
    fireEvent.mouseDown(input);

    await waitFor(async () =>
      expect(await optionTexts()).toEqual([
        'physics/atlas-analysis (atlas-analysis title)',
        'physics/detector/cms-reco (cms-reco title)',
      ]),
    );
  });

  it('returns the chosen project path', async () => {
    const { input, onChange } = await renderPicker();
    fireEvent.mouseDown(input);
    fireEvent.click(await screen.findByText('physics/atlas-analysis (atlas-analysis title)'));

    expect(onChange).toHaveBeenCalledWith('physics/atlas-analysis');
  });

  it('lists groups when the form asks for a group', async () => {
    const { input } = await renderPicker({ targetKind: 'group' });
    fireEvent.mouseDown(input);

    await waitFor(async () => expect(await optionTexts()).toEqual(['physics', 'physics/detector']));
  });

  it('accepts a typed path', async () => {
    const { input, onChange } = await renderPicker({ kind: 'project' });
    fireEvent.change(input, { target: { value: '  software/build-tools ' } });
    fireEvent.blur(input);

    expect(onChange).toHaveBeenCalledWith('software/build-tools');
  });
});

describe('ownedPathOptions', () => {
  it('derives every parent group once', () => {
    expect(
      ownedPathOptions([
        { slug: 'a/b/c' },
        { slug: 'a/d', title: 'D' },
      ]),
    ).toEqual([
      { path: 'a/b/c', kind: 'project', title: undefined },
      { path: 'a/d', kind: 'project', title: 'D' },
      { path: 'a', kind: 'group' },
      { path: 'a/b', kind: 'group' },
    ]);
  });
});
