import { useState } from 'react';
import { useSettings, useUpdateSettings } from '../../api/auth.ts';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';

/** Anonymous read-only access (for a wallboard): anyone may read without signing in. */
export function AnonymousReadToggle() {
  const settings = useSettings();
  const update = useUpdateSettings();
  const [choice, setChoice] = useState<boolean | null>(null);
  if (settings.isPending) return <Loading what="settings" />;
  if (settings.isError) return <ErrorState error={settings.error} retry={() => void settings.refetch()} />;
  // The choice shows at once while it is saved; the saved value again if saving failed.
  const on = choice ?? settings.data.anonymousRead;
  return (
    <div className="setting">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={on}
          disabled={update.isPending}
          onChange={(e) => {
            const anonymousRead = e.target.checked;
            setChoice(anonymousRead);
            update.mutate({ anonymousRead }, { onSettled: () => setChoice(null) });
          }}
        />
        Anonymous read-only access
      </label>
      <p className="muted" data-testid="anonymous-read-state">
        {on
          ? 'On: anyone who can reach Aviary sees every rollout without signing in (nobody can act without signing in).'
          : 'Off: reading needs a signed-in viewer, operator or admin.'}
      </p>
      {update.error ? <ErrorState error={update.error} /> : null}
    </div>
  );
}
