/** Above a form: what the server said that is about no one field (a conflict, a rule), or that it cannot be reached. */
import { ApiError } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import type { FormProblems } from "./problems";

export function FormAlert({ error, problems }: { error: unknown; problems: FormProblems }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <ErrorAlert error={error} />;
  if (!problems.others.length) return null;
  return <ErrorAlert error={new ApiError(error.status, problems.others.join(" · "))} />;
}
