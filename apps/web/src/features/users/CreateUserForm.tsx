import { type Role, type User, roles } from '@aviary/contracts';
import { type FormEvent, useId, useState } from 'react';
import { useCreateUser } from '../../api/auth.ts';
import { ErrorState } from '../../components/StatusMessage.tsx';

interface Props {
  /** Only this role (the first admin); otherwise the admin picks one. */
  fixedRole?: Role;
  submitLabel?: string;
  onCreated?: (user: User) => void;
}

/** A local user with a password of at least 12 characters (the API's rule) and a role. */
export function CreateUserForm({ fixedRole, submitLabel = 'Create user', onCreated }: Props) {
  const id = useId();
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(fixedRole ?? 'viewer');
  const [created, setCreated] = useState<User | null>(null);
  const short = password.length > 0 && password.length < 12;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { username: username.trim().toLowerCase(), password, role: fixedRole ?? role },
      {
        onSuccess: (user) => {
          setCreated(user);
          setUsername('');
          setPassword('');
          onCreated?.(user);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label={submitLabel}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Username</label>
        <input
          id={`${id}-name`}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          pattern="[a-zA-Z0-9][a-zA-Z0-9._@\-]{0,63}"
          title='1–64 lowercase letters, digits, ".", "_", "@" or "-"'
          autoComplete="off"
          required
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          aria-invalid={short}
          aria-describedby={`${id}-password-help`}
          required
        />
        <small id={`${id}-password-help`}>At least 12 characters.</small>
      </div>
      {fixedRole ? null : (
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      )}
      {create.error ? <ErrorState error={create.error} /> : null}
      {created && !create.error ? (
        <p className="status" role="status">
          Created {created.username} ({created.role}).
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={create.isPending || short}>
        {create.isPending ? 'Creating…' : submitLabel}
      </button>
    </form>
  );
}
