import { CreateUserForm } from '../users/CreateUserForm.tsx';
import { UserList } from '../users/UserList.tsx';
import { AnonymousReadToggle } from './AnonymousReadToggle.tsx';

/** Admin: who may read without signing in, and the local users. */
export function SettingsPage() {
  return (
    <div className="settings">
      <h1>Settings</h1>
      <section aria-labelledby="settings-access">
        <h2 id="settings-access">Access</h2>
        <AnonymousReadToggle />
      </section>
      <section aria-labelledby="settings-users">
        <h2 id="settings-users">Users</h2>
        <UserList />
        <h3>Add a user</h3>
        <CreateUserForm />
      </section>
    </div>
  );
}
