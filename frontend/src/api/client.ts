/**
 * The typed API client: paths and bodies come from `schema.d.ts`, generated from the app's
 * OpenAPI document (`npm run api:generate`), so a changed API breaks the build, not the user.
 *
 * Every request gets the signed-in person's access token; the session refreshes it shortly
 * before it expires (see auth/session.ts), so callers never see an expired token.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

type TokenSource = () => Promise<string | null>;
let tokenSource: TokenSource = async () => null;
let onUnauthorized: () => void = () => {};

/** Called once by the session: where tokens come from, and what to do when the API says "sign in". */
export function connectSession(source: TokenSource, unauthorized: () => void): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

/**
 * Headers that name the tenant a request is about. Staff see their assigned tenants without it;
 * a provider admin reaching another tenant, and any write that must go to one tenant, pass it.
 */
export function forTenant(tenantId: string | null | undefined): { headers: Record<string, string> } {
  return { headers: tenantId ? { "X-Tenant": tenantId } : {} };
}

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await tokenSource();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(auth);

/** An API error in Litestar's shape: `{status_code, detail, extra}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly extra: unknown;

  constructor(status: number, detail: string, extra?: unknown) {
    super(detail);
    this.status = status;
    this.extra = extra;
  }

  /** Every problem the server listed (form checks list them in extra.problems), else the detail. */
  get problems(): string[] {
    const extra = this.extra as { problems?: string[] } | undefined;
    return extra?.problems?.length ? extra.problems : [this.message];
  }
}

/** Unwrap an openapi-fetch result: the data, or an ApiError with the server's own words. */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = (error ?? {}) as { detail?: string; extra?: unknown; error_description?: string };
    throw new ApiError(response.status, body.detail ?? body.error_description ?? response.statusText, body.extra);
  }
  return data as T;
}
