import { HARDWARE_POOL_TYPE, RUNNER_FLEET_TYPE } from '@runner-fleet/plugin-runner-fleet-common';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { runnerFleetApiRef } from '../api';
import { ACCESS_LABELS, type PoolOption, buildPoolOptions } from './poolOptions';

/** `ui:options` of the pool picker. */
export interface RunnerPoolPickerUiOptions {
  /** Hide pools with these access policies, for example `['restricted']`. */
  hideAccess?: string[];
}

function describeLoad(option: PoolOption): string | undefined {
  if (!option.load) {
    return undefined;
  }
  const { runningJobs, pendingJobs, concurrency } = option.load;
  return `Now: ${runningJobs} of ${concurrency} job slots busy, ${pendingJobs} pending`;
}

function PoolLine({ option }: { option: PoolOption }) {
  const load = describeLoad(option);
  return (
    <Box display="flex" flexDirection="column" py={0.5}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="body1">{option.title}</Typography>
        <Chip
          size="small"
          label={ACCESS_LABELS[option.access]}
          color={option.access === 'open' ? 'primary' : 'default'}
          variant={option.access === 'restricted' ? 'outlined' : 'default'}
        />
      </Box>
      <Typography variant="body2" color="textSecondary">
        {option.capacity}
      </Typography>
      {load && (
        <Typography variant="caption" color="textSecondary">
          {load}
        </Typography>
      )}
    </Box>
  );
}

/**
 * Scaffolder field that picks a hardware pool. It lists the catalog's
 * hardware-pool resources with their node shape, accelerators, access policy
 * and, when the runner-fleet backend has sampled the pool's fleets, the
 * current load. The value is the pool's entity reference.
 */
export const RunnerPoolPicker = (
  props: FieldExtensionComponentProps<string, RunnerPoolPickerUiOptions>,
) => {
  const { formData, onChange, required, rawErrors, schema, uiSchema, idSchema, disabled } = props;
  const catalogApi = useApi(catalogApiRef);
  const apiHolder = useApiHolder();
  const hideAccess = uiSchema?.['ui:options']?.hideAccess ?? [];

  const { value: options, loading, error } = useAsync(async () => {
    const [pools, fleets] = await Promise.all([
      catalogApi.getEntities({ filter: { kind: 'resource', 'spec.type': HARDWARE_POOL_TYPE } }),
      catalogApi.getEntities({ filter: { kind: 'resource', 'spec.type': RUNNER_FLEET_TYPE } }),
    ]);
    // Live load is optional: the picker still works without the backend.
    const fleetApi = apiHolder.get(runnerFleetApiRef);
    const loads = await fleetApi?.listFleetLoads().catch(() => undefined);
    return buildPoolOptions(pools.items, fleets.items, loads);
  }, [catalogApi, apiHolder]);

  const visible = (options ?? []).filter(o => !hideAccess.includes(o.access));
  const selected = visible.find(o => o.ref === formData);
  const id = idSchema?.$id ?? 'runner-pool-picker';
  const hasError = Boolean(error) || (rawErrors?.length ?? 0) > 0;

  let helper: string | undefined = schema.description;
  if (error) {
    helper = `Could not load hardware pools from the catalog: ${error.message}`;
  } else if (!loading && visible.length === 0) {
    helper = 'The catalog has no hardware-pool resources to pick from.';
  } else if (selected) {
    helper = `Per job at most ${selected.limits.cpu} vCPU, ${selected.limits.memoryGiB} GiB${
      selected.limits.acceleratorsPerNode > 0 ? `, ${selected.limits.acceleratorsPerNode} accelerators` : ''
    }. Fleets: ${selected.fleets.join(', ') || 'none yet'}.`;
  }

  return (
    <FormControl fullWidth margin="normal" required={required} error={hasError} disabled={disabled || loading}>
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Hardware pool'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={selected ? selected.ref : ''}
        onChange={event => onChange(String(event.target.value))}
        renderValue={value => visible.find(o => o.ref === value)?.title ?? String(value)}
      >
        {visible.map(option => (
          <MenuItem key={option.ref} value={option.ref} aria-label={option.title}>
            <PoolLine option={option} />
          </MenuItem>
        ))}
      </Select>
      {helper && <FormHelperText>{helper}</FormHelperText>}
    </FormControl>
  );
};
