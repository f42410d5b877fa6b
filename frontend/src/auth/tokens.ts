/**
 * Tokens from the OAuth2 token endpoint (password and refresh_token grants), kept for this tab.
 *
 * The refresh token lives in sessionStorage (gone when the tab closes); the access token is
 * renewed a minute before it expires, once, however many requests are waiting for it.
 */
import { ApiError } from "../api/client";

const STORAGE_KEY = "bo-saas.tokens";
const RENEW_BEFORE_MS = 60_000;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number; // ms since the epoch
}

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

export function loadTokens(): Tokens | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Tokens;
  } catch {
    return null;
  }
}

export function saveTokens(tokens: Tokens | null): void {
  if (tokens) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  else sessionStorage.removeItem(STORAGE_KEY);
}

async function tokenRequest(fields: Record<string, string>): Promise<Tokens> {
  const response = await fetch("/api/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, body.error_description ?? body.detail ?? response.statusText, body.extra);
  }
  const answer = body as TokenAnswer;
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? fields.refresh_token ?? "",
    expiresAt: Date.now() + answer.expires_in * 1000,
  };
}

export function passwordGrant(email: string, password: string): Promise<Tokens> {
  return tokenRequest({ grant_type: "password", username: email, password });
}

export function refreshGrant(refreshToken: string): Promise<Tokens> {
  return tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken });
}

export async function revoke(refreshToken: string): Promise<void> {
  await fetch("/api/v1/auth/revoke", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: refreshToken }),
  }).catch(() => undefined);
}

export function needsRenewal(tokens: Tokens, now = Date.now()): boolean {
  return tokens.expiresAt - now < RENEW_BEFORE_MS;
}

/** Access tokens, renewed when due; concurrent callers share one renewal. */
export class TokenKeeper {
  private tokens: Tokens | null;
  private renewal: Promise<Tokens | null> | null = null;
  private readonly refresh: (refreshToken: string) => Promise<Tokens>;
  private readonly onChange: (tokens: Tokens | null) => void;

  constructor(
    initial: Tokens | null,
    onChange: (tokens: Tokens | null) => void,
    refresh: (refreshToken: string) => Promise<Tokens> = refreshGrant,
  ) {
    this.tokens = initial;
    this.onChange = onChange;
    this.refresh = refresh;
  }

  set(tokens: Tokens | null): void {
    this.tokens = tokens;
    this.onChange(tokens);
  }

  current(): Tokens | null {
    return this.tokens;
  }

  async accessToken(): Promise<string | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    if (!needsRenewal(tokens)) return tokens.accessToken;
    this.renewal ??= this.refresh(tokens.refreshToken)
      .then((fresh) => {
        this.set(fresh);
        return fresh;
      })
      .catch(() => {
        this.set(null); // the refresh token was spent or revoked: sign in again
        return null;
      })
      .finally(() => {
        this.renewal = null;
      });
    return (await this.renewal)?.accessToken ?? null;
  }
}
