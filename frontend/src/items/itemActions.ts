/**
 * What the viewer may do to an item, read from the item's own `allowed_transitions` (the server's
 * state machine decides; the screen only names the moves), plus the moves with their own routes:
 * sharing (client admins) and the QA verdict (staff who are not the item's agent).
 */
import { ApiError, type Schemas } from "../api/client";

type WorkItem = Schemas["WorkItemOut"];

export type ActionId =
  | "submit"
  | "cancel"
  | "reopen"
  | "share"
  | "ask"
  | "resume"
  | "handToQa"
  | "done"
  | "release"
  | "decline"
  | "accept"
  | "sendBack";

export interface Viewer {
  id: string;
  role: string;
}

export function isStaffRole(role: string): boolean {
  return role === "provider_admin" || role === "provider_agent";
}

/** The move a transition action asks for: the target state (`to`) given the state it starts from. */
function transitionAction(from: string, to: string, staff: boolean): ActionId | null {
  switch (to) {
    case "queued":
      if (from === "new") return "submit";
      if (from === "done") return "reopen";
      return from === "in_progress" ? "release" : null;
    case "in_progress":
      // A client answers the question instead (POST .../answer), which also moves it back to work.
      return staff && from === "waiting_on_client" ? "resume" : null;
    case "waiting_on_client":
      return "ask";
    case "in_review":
      return "handToQa";
    case "done":
      return "done";
    case "rejected":
      return "decline";
    case "cancelled":
      return "cancel";
    default:
      return null;
  }
}

// Most useful first: what moves the work on, then what sets it aside, then what ends it.
const ORDER: ActionId[] = [
  "submit",
  "accept",
  "sendBack",
  "ask",
  "handToQa",
  "done",
  "resume",
  "reopen",
  "share",
  "release",
  "decline",
  "cancel",
];

export function availableActions(item: WorkItem, viewer: Viewer): ActionId[] {
  const staff = isStaffRole(viewer.role);
  const actions = new Set<ActionId>();
  for (const to of item.allowed_transitions) {
    const action = transitionAction(item.state, to, staff);
    if (action) actions.add(action);
  }
  if (viewer.role === "client_admin" && !item.shared) actions.add("share");
  if (isReviewer(item, viewer)) {
    actions.add("accept");
    actions.add("sendBack");
  }
  return ORDER.filter((action) => actions.has(action));
}

/** QA reviews an item in review; the agent who did the work may not review it. */
export function isReviewer(item: WorkItem, viewer: Viewer): boolean {
  return (
    isStaffRole(viewer.role) &&
    item.state === "in_review" &&
    item.assignee_id !== null &&
    item.assignee_id !== viewer.id
  );
}

/** The state a transition action moves to (the server may choose another: `done` can become `in_review`). */
export const TRANSITION_TARGETS: Partial<Record<ActionId, Schemas["TransitionCreate"]["to"]>> = {
  submit: "queued",
  reopen: "queued",
  release: "queued",
  resume: "in_progress",
  ask: "waiting_on_client",
  handToQa: "in_review",
  done: "done",
  decline: "rejected",
  cancel: "cancelled",
};

/**
 * A refused move (409) in parts a person can read: the server's reason and the moves still
 * open (`extra.allowed`), or null for any other error.
 */
export function describeRefusal(error: unknown): { detail: string; allowed: string[] } | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const extra = error.extra as { allowed?: unknown } | undefined;
  const allowed = Array.isArray(extra?.allowed) ? extra.allowed.filter((s): s is string => typeof s === "string") : [];
  return { detail: error.message, allowed };
}
