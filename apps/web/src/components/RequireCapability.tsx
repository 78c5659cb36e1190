import type { ReactNode } from 'react';
import type { Capability } from '../auth/permissions.ts';
import { useAccess } from '../auth/useAccess.ts';
import { Empty } from './StatusMessage.tsx';

/** A page only some roles may open: others are told why and whom to ask, not shown an error. */
export function RequireCapability({ capability, children }: { capability: Capability; children: ReactNode }) {
  const denied = useAccess().denial(capability);
  if (denied)
    return (
      <Empty>
        <p role="note" data-testid="page-denied">
          {denied}.
        </p>
      </Empty>
    );
  return <>{children}</>;
}
