import {
  type LoginRequest,
  type Me,
  type Role,
  type Settings,
  type User,
  authPaths,
} from '@aviary/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './fetch.ts';
import { queryKeys } from './queryKeys.ts';
import { fetchMe, login, logout } from './session.ts';

const notMe = (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== queryKeys.me[0];

/** Who is signed in (null: nobody), with their role and the session's CSRF token. */
export const useMe = () =>
  useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
  });

export const useLogin = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => login(body),
    onSuccess: (me) => {
      // What was cached belonged to someone else (or failed with 401): start afresh.
      client.setQueryData<Me | null>(queryKeys.me, me);
      void client.resetQueries({ predicate: notMe });
    },
  });
};

export const useLogout = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => logout(),
    onSettled: () => {
      client.setQueryData<Me | null>(queryKeys.me, null);
      client.removeQueries({ predicate: notMe, type: 'inactive' });
      // Anonymous read may still let this browser read: ask again.
      void client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
};

/** POST /api/v1/users (contracts' CreateUserRequest). */
export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

export const useCreateUser = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => apiFetch<User>(authPaths.users, { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.users });
      void client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
};

export const useUsers = (enabled: boolean) =>
  useQuery({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => apiFetch<{ items: User[] }>(authPaths.users, { signal }),
    select: (data) => data.items,
    enabled,
  });

export const useSettings = () =>
  useQuery({
    queryKey: queryKeys.settings,
    queryFn: ({ signal }) => apiFetch<Settings>(authPaths.settings, { signal }),
  });

export const useUpdateSettings = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) =>
      apiFetch<Settings>(authPaths.settings, { method: 'PUT', body: settings }),
    onSuccess: (settings) => {
      client.setQueryData(queryKeys.settings, settings);
      void client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
};
