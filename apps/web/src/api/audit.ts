import { type AuditList, authPaths } from '@aviary/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from './fetch.ts';
import { type AuditApiQuery, queryKeys } from './queryKeys.ts';

/** The audit trail, newest first, page by page (admin). */
export const useAuditPages = (query: AuditApiQuery) =>
  useInfiniteQuery({
    queryKey: queryKeys.audit(query),
    queryFn: ({ pageParam, signal }) =>
      apiFetch<AuditList>(authPaths.audit, { query: { ...query, limit: 100, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

/** The API's own CSV export of the filtered trail (up to `limit` records). */
export const fetchAuditCsv = (query: AuditApiQuery, limit = 10_000): Promise<string> =>
  apiFetch<string>(authPaths.audit, { query: { ...query, limit, format: 'csv' }, as: 'text' });
