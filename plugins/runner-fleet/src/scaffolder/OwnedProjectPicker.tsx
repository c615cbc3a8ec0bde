import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';

/** Annotation that links a catalog component to its GitLab project. */
export const GITLAB_PROJECT_SLUG_ANNOTATION = 'gitlab.com/project-slug';

/** A project or group the picker offers. */
export interface OwnedPathOption {
  path: string;
  kind: 'project' | 'group';
  /** Title of the catalog component, for projects. */
  title?: string;
}

/** `ui:options` of the project picker. */
export interface OwnedProjectPickerUiOptions {
  /** Kind of path to offer. The default, `auto`, follows the form's `targetKind` field. */
  kind?: 'project' | 'group' | 'auto';
}

/**
 * Derives the options from owned components: each project slug, and each
 * group or subgroup above it.
 */
export function ownedPathOptions(
  components: Array<{ slug: string; title?: string }>,
): OwnedPathOption[] {
  const projects = new Map<string, OwnedPathOption>();
  const groups = new Map<string, OwnedPathOption>();
  for (const { slug, title } of components) {
    projects.set(slug, { path: slug, kind: 'project', title });
    const parts = slug.split('/');
    for (let i = 1; i < parts.length; i++) {
      const group = parts.slice(0, i).join('/');
      groups.set(group, { path: group, kind: 'group' });
    }
  }
  const byPath = (a: OwnedPathOption, b: OwnedPathOption) => a.path.localeCompare(b.path);
  return [...[...projects.values()].sort(byPath), ...[...groups.values()].sort(byPath)];
}

/**
 * Scaffolder field for a GitLab project or group path. It offers the GitLab
 * projects of the catalog components that the signed-in user or their
 * groups own (components with the `gitlab.com/project-slug` annotation), and
 * the groups above them. The runner-fleet backend has no route for GitLab
 * ownership, so this is a convenience list: the user may type another path,
 * and the scaffolder actions check GitLab ownership themselves.
 */
export const OwnedProjectPicker = (
  props: FieldExtensionComponentProps<string, OwnedProjectPickerUiOptions>,
) => {
  const { formData, onChange, required, rawErrors, schema, uiSchema, idSchema, disabled, formContext } = props;
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);

  const configured = uiSchema?.['ui:options']?.kind ?? 'auto';
  const targetKind = (formContext as { formData?: { targetKind?: unknown } } | undefined)?.formData
    ?.targetKind;
  let kind: 'project' | 'group' = targetKind === 'group' ? 'group' : 'project';
  if (configured !== 'auto') {
    kind = configured;
  }

  const { value: options, loading, error } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'component',
        'relations.ownedBy': ownershipEntityRefs,
        [`metadata.annotations.${GITLAB_PROJECT_SLUG_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
      },
      fields: ['metadata.name', 'metadata.title', 'metadata.annotations'],
    });
    return ownedPathOptions(
      items
        .map(entity => ({
          slug: entity.metadata.annotations?.[GITLAB_PROJECT_SLUG_ANNOTATION] ?? '',
          title: entity.metadata.title ?? entity.metadata.name,
        }))
        .filter(c => c.slug.length > 0),
    );
  }, [catalogApi, identityApi]);

  const visible = (options ?? []).filter(o => o.kind === kind);
  const label = schema.title ?? (kind === 'group' ? 'GitLab group' : 'GitLab project');
  let helper = schema.description;
  if (error) {
    helper = `Could not load your projects from the catalog: ${error.message}. Type the path instead.`;
  } else if (!loading && visible.length === 0) {
    helper = `The catalog lists no ${kind}s that you own; type the full path.`;
  }

  return (
    <Autocomplete<OwnedPathOption | string, false, false, true>
      id={idSchema?.$id ?? 'owned-project-picker'}
      freeSolo
      autoSelect
      disabled={disabled}
      loading={loading}
      options={visible}
      value={formData ?? null}
      getOptionLabel={option => (typeof option === 'string' ? option : option.path)}
      renderOption={option =>
        typeof option === 'string'
          ? option
          : `${option.path}${option.title && option.title !== option.path ? ` (${option.title})` : ''}`
      }
      onChange={(_event, value) => {
        if (value === null) {
          onChange(undefined);
        } else if (typeof value === 'string') {
          onChange(value.trim());
        } else {
          onChange(value.path);
        }
      }}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          margin="normal"
          required={required}
          error={(rawErrors?.length ?? 0) > 0 || Boolean(error)}
          helperText={helper}
          variant="outlined"
        />
      )}
    />
  );
};
