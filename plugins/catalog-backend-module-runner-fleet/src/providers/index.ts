export {
  RunnerFleetEntityProvider,
  type RunnerFleetEntityProviderOptions,
  type RunnerFleetSyncResult,
} from './RunnerFleetEntityProvider';
export { RunnerFleetLiveFactsProcessor } from './RunnerFleetLiveFactsProcessor';
export {
  CacheLiveFactsStore,
  MemoryLiveFactsStore,
  type LiveFactsStore,
  type StoredLiveFacts,
} from '../lib/liveFactsStore';
