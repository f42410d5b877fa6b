/**
 * The SLA policy form's own checks. A value the API would refuse (0, −5, 1.5 minutes, a warning of
 * 100 %) is kept as typed and named beside its field; it is never clamped or stripped into a valid
 * number the person did not type. The limits are the API's (`sla/schemas.py`).
 */
export const MAX_MINUTES = 525_600;

export type PolicyProblem = "minutesInvalid" | "warningInvalid" | "resolutionBeforeFirstResponse";

export interface PolicyDraft {
  firstResponse: number | string;
  resolution: number | string;
  warning: number | string;
}

export interface PolicyCheck {
  firstResponse: PolicyProblem | null;
  resolution: PolicyProblem | null;
  warning: PolicyProblem | null;
  valid: boolean;
}

/** A whole number from min to max; "" (nothing typed), "1.5", "-" and "0" are not. */
export function wholeBetween(value: number | string, min: number, max: number): boolean {
  if (value === "" || value === "-") return false;
  const number = Number(value);
  return Number.isInteger(number) && number >= min && number <= max;
}

export function checkPolicy(draft: PolicyDraft): PolicyCheck {
  const firstResponse = wholeBetween(draft.firstResponse, 1, MAX_MINUTES) ? null : "minutesInvalid";
  let resolution: PolicyProblem | null = wholeBetween(draft.resolution, 1, MAX_MINUTES) ? null : "minutesInvalid";
  if (!firstResponse && !resolution && Number(draft.resolution) < Number(draft.firstResponse)) {
    resolution = "resolutionBeforeFirstResponse";
  }
  const warning = wholeBetween(draft.warning, 1, 99) ? null : "warningInvalid";
  return { firstResponse, resolution, warning, valid: !firstResponse && !resolution && !warning };
}
