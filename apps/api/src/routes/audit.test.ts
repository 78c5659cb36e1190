import type { AuditRecord } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './audit.ts';

describe('audit CSV export', () => {
  it('quotes every cell, empty ones and numbers included', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('defuses a formula at the start and after any separator a spreadsheet may split on', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe('"\'+1"');
    expect(csvCell('ok;=cmd|calc')).toBe('"ok;\'=cmd|calc"');
    expect(csvCell('ok,@SUM(A1)')).toBe('"ok,\'@SUM(A1)"');
    expect(csvCell('a\t-2+3')).toBe('"a\t\'-2+3"');
    expect(csvCell('line\n=1+1')).toBe('"line\n\'=1+1"');
    expect(csvCell('\t=1')).toBe('"\'\t\'=1"');
    expect(csvCell('a-b = c')).toBe('"a-b = c"');
  });

  it('writes a header and one quoted row per record', () => {
    const record = {
      id: 1,
      at: '2025-01-01T00:00:00.000Z',
      actor: 'eve',
      role: 'operator',
      sourceAddress: '192.0.2.1',
      action: 'rollout-started',
      subject: 'rollout/r1',
      before: null,
      after: { image: 'x' },
      reason: 'fine;=2+2',
    } as AuditRecord;
    const [header, row, end] = toCsv([record]).split('\r\n');
    expect(header).toBe(
      '"id","at","actor","role","sourceAddress","action","subject","before","after","reason"',
    );
    expect(row).toBe(
      '"1","2025-01-01T00:00:00.000Z","eve","operator","192.0.2.1","rollout-started","rollout/r1","","{""image"":""x""}","fine;\'=2+2"',
    );
    expect(end).toBe('');
  });
});
