import { useState } from 'react';
import { useLogout } from '../../api/auth.ts';
import { useAccess } from '../../auth/useAccess.ts';
import { Empty } from '../../components/StatusMessage.tsx';
import { Link } from '../../router/Link.tsx';
import { CreateUserForm } from '../users/CreateUserForm.tsx';

/**
 * First start: no user exists yet. An admin signed in with the bootstrap token creates the first
 * admin user, then signs in as that person so what they do is attributed to them.
 */
export function SetupPage() {
  const { me } = useAccess();
  const logout = useLogout();
  const [created, setCreated] = useState<string | null>(null);
  if (created) {
    return (
      <div className="setup">
        <h1>First admin created</h1>
        <p>
          {created} is an admin. Sign out of the bootstrap token and sign in as {created}, so that your
          actions are recorded under your name.
        </p>
        <button type="button" className="primary" onClick={() => logout.mutate()}>
          Sign out and sign in as {created}
        </button>
      </div>
    );
  }
  if (!me?.setupRequired)
    return (
      <Empty>
        Set-up is done: users exist. Manage them in <Link to="/settings">Settings</Link>.
      </Empty>
    );
  return (
    <div className="setup">
      <h1>Create the first admin</h1>
      <p>
        Aviary has no users yet. You are signed in with the bootstrap admin token; create your own admin
        account now. After that, add operators and viewers in Settings.
      </p>
      <CreateUserForm
        fixedRole="admin"
        submitLabel="Create admin"
        onCreated={(u) => setCreated(u.username)}
      />
    </div>
  );
}
