import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type StreamStatus, connectStream } from './stream.ts';

/**
 * Subscribes (not fetches): one EventSource for the whole app, its status for the header.
 * EventSource cannot send headers, so it rides on the session cookie: it is opened only once
 * someone is signed in (or anonymous read is on), and reopened when the person changes.
 */
export function useLiveStream(session: string | null): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  useEffect(() => (session === null ? undefined : connectStream(client, setStatus)), [client, session]);
  return status;
}
