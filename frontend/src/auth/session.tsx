/**
 * Who is signed in, for the whole app: tokens (tokens.ts), the caller from GET /api/v1/me,
 * and signing in and out. The API client asks the session for a fresh access token on
 * every request; a 401 from the API ends the session.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { api, connectSession, type Schemas, unwrap } from "../api/client";
import { loadTokens, passwordGrant, revoke, saveTokens, TokenKeeper, type Tokens } from "./tokens";

export type Me = Schemas["Me"];
export type Role = "provider_admin" | "provider_agent" | "client_admin" | "client_member";

interface Session {
  signedIn: boolean;
  me: Me | undefined;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [tokens, setTokens] = useState<Tokens | null>(() => loadTokens());
  const keeper = useMemo(
    () =>
      new TokenKeeper(loadTokens(), (next) => {
        saveTokens(next);
        setTokens(next);
      }),
    [],
  );
  useMemo(
    () =>
      connectSession(
        () => keeper.accessToken(),
        () => {
          keeper.set(null);
          queryClient.clear();
        },
      ),
    [keeper, queryClient],
  );

  const meQuery = useQuery({
    queryKey: ["me"],
    queryFn: () => unwrap(api.GET("/api/v1/me")),
    enabled: tokens !== null,
    staleTime: 60_000,
  });

  const signIn = useCallback(
    async (email: string, password: string) => {
      queryClient.clear();
      keeper.set(await passwordGrant(email, password));
    },
    [keeper, queryClient],
  );

  const signOut = useCallback(async () => {
    const current = keeper.current();
    keeper.set(null);
    queryClient.clear();
    if (current?.refreshToken) await revoke(current.refreshToken);
  }, [keeper, queryClient]);

  const value = useMemo<Session>(
    () => ({
      signedIn: tokens !== null,
      me: tokens ? meQuery.data : undefined,
      loading: tokens !== null && meQuery.isPending,
      signIn,
      signOut,
    }),
    [tokens, meQuery.data, meQuery.isPending, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

export function isStaff(me: Me | undefined): boolean {
  return me?.role === "provider_admin" || me?.role === "provider_agent";
}

/** The signed-in person; only for screens behind the sign-in guard. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error("useMe before the caller is known");
  return me;
}
