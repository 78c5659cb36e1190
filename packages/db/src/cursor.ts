import { DomainError } from '@aviary/core';

/** Where a page ended: the last row's (created_at, id). Opaque to clients. */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export const encodeCursor = (p: CursorPosition): string =>
  Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [createdAt, id]: unknown[] = parsed;
      if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
    }
  } catch {
    // Not base64url JSON: reported below like any other foreign cursor.
  }
  throw new DomainError(
    'invalid-action',
    'the cursor is not one this API returned; pass the nextCursor of the previous page, or omit it to start over',
    { field: 'cursor' },
  );
}
