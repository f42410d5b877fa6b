/** What the case screens work out from a case: where its workspace is, and how far along it is. */
import type { CaseTask } from "./queries";

/** The case's screen for its work item: the console's desk workspace, or the portal's case page. */
export function caseLink(inConsole: boolean, workItemId: string): string {
  return inConsole ? `/console/hr/cases/${workItemId}` : `/portal/hr/cases/${workItemId}`;
}

/** Whether a task is late: open and its due date (a local date, YYYY-MM-DD) before today. */
export function isLate(task: Pick<CaseTask, "done" | "due_date">, today: string): boolean {
  return !task.done && task.due_date < today;
}

/** Done tasks out of all, as a percentage for a progress bar (an empty case is complete). */
export function progress(tasks: Pick<CaseTask, "done">[]): number {
  if (tasks.length === 0) return 100;
  return Math.round((100 * tasks.filter((task) => task.done).length) / tasks.length);
}

/** Whether an employee's personal data came back masked (every value null). */
export function isMasked(personal: Record<string, unknown>): boolean {
  return Object.values(personal).every((value) => value === null || value === undefined);
}
