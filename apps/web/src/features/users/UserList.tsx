import type { User } from '@aviary/contracts';
import { useUsers } from '../../api/auth.ts';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { ErrorState, Loading } from '../../components/StatusMessage.tsx';
import { formatDateTime } from '../../lib/format.ts';

const columns: readonly Column<User>[] = [
  { id: 'username', label: 'User', getValue: (u) => u.username, sort: true },
  { id: 'role', label: 'Role', getValue: (u) => u.role, sort: true },
  { id: 'createdBy', label: 'Created by', getValue: (u) => u.createdBy },
  {
    id: 'createdAt',
    label: 'Created',
    getValue: (u) => u.createdAt,
    render: (u) => formatDateTime(u.createdAt),
  },
];

export function UserList() {
  const users = useUsers(true);
  if (users.isPending) return <Loading what="users" />;
  if (users.isError) return <ErrorState error={users.error} retry={() => void users.refetch()} />;
  return (
    <DataTable
      columns={columns}
      rows={users.data}
      rowKey={(u) => u.id}
      caption="Users"
      empty="No local users yet."
      initialSort={{ id: 'username', desc: false }}
    />
  );
}
