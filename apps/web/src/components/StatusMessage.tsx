import type { ReactNode } from 'react';
import { describeError } from '../api/ApiError.ts';

/** Loading, empty and error states: each says what is happening and what to do. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="status status-loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="status status-empty">{children}</div>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { title, message } = describeError(error);
  return (
    <div className="status status-error" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
