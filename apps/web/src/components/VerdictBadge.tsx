import type { Verdict } from '@aviary/contracts';

const text: Record<Verdict, string> = { pass: 'pass', fail: 'fail', inconclusive: 'inconclusive' };

export function VerdictBadge({ verdict, large = false }: { verdict: Verdict | null; large?: boolean }) {
  if (!verdict) return <span className="badge badge-none">no gate</span>;
  return (
    <span className={`badge badge-${verdict}${large ? ' badge-large' : ''}`} data-verdict={verdict}>
      {text[verdict]}
    </span>
  );
}
