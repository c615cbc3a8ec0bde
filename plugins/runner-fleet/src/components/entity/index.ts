export { RunnerFleetOverviewCard } from './RunnerFleetOverviewCard';
export type { RunnerFleetOverviewCardProps } from './RunnerFleetOverviewCard';
export { KubernetesClusterOverviewCard } from './KubernetesClusterOverviewCard';
export { HardwarePoolOverviewCard } from './HardwarePoolOverviewCard';
