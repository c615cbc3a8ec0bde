/** Grey for the legacy Docker Machine fleet, so Kubernetes fleets stand out. */
export const LEGACY_COLOR = '#9e9e9e';

const PALETTE = [
  '#1f77b4',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#bcbd22',
];

/** Color of the n-th series in a chart. */
export function chartColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}
