import { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';

/**
 * Renders a progress bar on the first load, an error panel when a request
 * failed and nothing was loaded before, and otherwise `children(value)`.
 * A failed refresh keeps showing the last good value.
 */
export function AsyncContent<T>(props: {
  loading: boolean;
  error?: Error;
  value?: T;
  children: (value: T) => ReactNode;
}) {
  const { loading, error, value, children } = props;
  if (value === undefined) {
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    if (loading) {
      return <Progress />;
    }
    return null;
  }
  return <>{children(value)}</>;
}
