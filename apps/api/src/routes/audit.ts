import { AuditList, AuditQuery, type AuditRecord, ErrorBody, authPaths } from '@aviary/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Access } from '../auth/access.ts';

const columns = [
  'id',
  'at',
  'actor',
  'role',
  'sourceAddress',
  'action',
  'subject',
  'before',
  'after',
  'reason',
] as const;

/**
 * One CSV cell, always quoted. A spreadsheet runs a cell that starts with = + - @ (or a tab or
 * CR before one) as a formula, and some split a cell again on `;`, `,`, tabs or new lines when
 * importing, so a ' goes before any such character at the start or after any separator.
 */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const defused = text.replace(/(?<=^|[,;\t\r\n|])(?=[=+\-@\t\r])/g, "'");
  return `"${defused.replaceAll('"', '""')}"`;
}

export const toCsv = (items: AuditRecord[]): string =>
  [columns.map(csvCell).join(','), ...items.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join(
    '\r\n',
  ) + '\r\n';

export const auditRoutes =
  (access: Access): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      authPaths.audit,
      {
        config: { role: 'admin' },
        schema: {
          tags: ['access'],
          summary: 'The audit trail, newest first: filters actor, action, from, to; cursor pagination',
          description:
            '`format=csv` answers text/csv (an export of the same page); `format=json` is the default.',
          querystring: AuditQuery,
          response: { 200: AuditList, 400: ErrorBody },
        },
      },
      async (request, reply) => {
        const { limit, cursor, format, ...filter } = request.query;
        const page = access.audit.list(filter, limit, cursor);
        if (format === 'csv') {
          if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor);
          // A string with a non-JSON content type bypasses the JSON response schema.
          const csv: unknown = toCsv(page.items);
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="aviary-audit.csv"')
            .send(csv as AuditList);
        }
        return page;
      },
    );
  };
