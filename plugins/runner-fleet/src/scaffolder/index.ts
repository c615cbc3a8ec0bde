export { RunnerPoolPicker, type RunnerPoolPickerUiOptions } from './RunnerPoolPicker';
export {
  OwnedProjectPicker,
  ownedPathOptions,
  type OwnedPathOption,
  type OwnedProjectPickerUiOptions,
} from './OwnedProjectPicker';
export { buildPoolOptions, type PoolOption } from './poolOptions';
