import type { LoggerService } from '@backstage/backend-plugin-api';
import type { UserEntity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createMockDirectory } from '@backstage/backend-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject, JsonValue } from '@backstage/types';

/** Everything an action wrote outside its return value, for leak checks. */
export interface ContextRecord {
  logs: string[];
  outputs: Record<string, unknown>;
  checkpoints: Array<{ key: string; value: unknown }>;
}

function recordingLogger(logs: string[]): LoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    logs.push(`${level} ${message} ${meta === undefined ? '' : JSON.stringify(meta)}`);
  };
  const logger: LoggerService = {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

/**
 * Creates an action context from `createMockActionContext` that records logs,
 * outputs and checkpoint keys and values.
 */
export function createRecordingContext(options: {
  input: JsonObject;
  user?: UserEntity;
  isDryRun?: boolean;
  workspacePath?: string;
}) {
  const record: ContextRecord = { logs: [], outputs: {}, checkpoints: [] };
  const workspacePath =
    options.workspacePath ?? createMockDirectory().resolve('workspace');
  const base = createMockActionContext({
    input: options.input,
    workspacePath,
    logger: recordingLogger(record.logs),
    user: options.user
      ? { entity: options.user, ref: stringifyEntityRef(options.user) }
      : undefined,
  });
  const ctx = {
    ...base,
    isDryRun: options.isDryRun ?? false,
    output: (name: string, value: unknown) => {
      record.outputs[name] = value;
    },
    async checkpoint<T extends JsonValue | void>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      const value = await opts.fn();
      record.checkpoints.push({ key: opts.key, value });
      return value;
    },
  };
  // Actions type their context by their input schema, so the mock is widened.
  return { ctx: ctx as unknown as ActionContext<any, any>, record, workspacePath };
}
