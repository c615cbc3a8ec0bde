import Box from '@material-ui/core/Box';
import type { Accelerator } from '@runner-fleet/plugin-runner-fleet-common';
import { formatCount } from './entityRefs';

/** Lists accelerators as `8 × AMD Alveo U55C (FPGA)`. */
export function AcceleratorList(props: { accelerators: Accelerator[] }) {
  return (
    <Box component="ul" m={0} pl={2}>
      {props.accelerators.map(accelerator => (
        <li key={`${accelerator.type}:${accelerator.model}`}>
          {`${formatCount(accelerator.count)} × ${
            accelerator.model
          } (${accelerator.type.toUpperCase()})`}
        </li>
      ))}
    </Box>
  );
}
