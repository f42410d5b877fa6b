/** What the sign-in form says when the token endpoint refuses: wrong details, or locked and for how long. */
import type { TFunction } from "i18next";
import { ApiError } from "../api/client";

export function retryAfter(error: unknown): number | null {
  if (!(error instanceof ApiError)) return null;
  const seconds = (error.extra as { retry_after?: unknown } | undefined)?.retry_after;
  return typeof seconds === "number" && seconds > 0 ? seconds : null;
}

export function signInError(error: unknown, t: TFunction): string {
  const seconds = retryAfter(error);
  if (seconds !== null) return t("session.locked", { seconds });
  if (error instanceof ApiError && (error.status === 400 || error.status === 401)) return t("session.failed");
  return error instanceof Error ? error.message : t("common.error");
}
