import type { NewEvent, StoredRollout } from '@aviary/core';

let seq = 0;

/** A rollout as the engine creates it: phase `starting`, version 1. */
export function aRollout(overrides: Partial<StoredRollout> = {}): StoredRollout {
  seq += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString();
  return {
    id: `r-${String(seq).padStart(4, '0')}`,
    target: { namespace: 'shop', service: 'checkout', router: 'istio' },
    stableImage: 'registry.local/shop/checkout:1.0.0',
    canaryImage: 'registry.local/shop/checkout:1.1.0',
    phase: 'starting',
    weight: 0,
    stepIndex: -1,
    steps: [1, 5, 25, 50, 75, 100],
    version: 1,
    operation: null,
    reason: 'ship the new cart',
    createdBy: 'alice',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    at: '2025-01-01T00:00:00.000Z',
    actor: 'alice',
    action: 'created',
    fromWeight: null,
    toWeight: 0,
    fromPhase: null,
    toPhase: 'starting',
    reason: null,
    details: null,
    ...overrides,
  };
}
