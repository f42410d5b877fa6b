/** The small labels every list and page uses for a work item's state, priority and SLA status. */
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { isStaffRole } from "../items/itemActions";

const STATE_COLORS: Record<string, string> = {
  new: "gray",
  queued: "blue",
  in_progress: "indigo",
  waiting_on_client: "yellow",
  in_review: "grape",
  done: "teal",
  rejected: "red",
  cancelled: "gray",
};
const PRIORITY_COLORS: Record<string, string> = { low: "gray", normal: "blue", high: "orange", urgent: "red" };
const SLA_COLORS: Record<string, string> = { ok: "teal", warning: "orange", breached: "red", met: "green" };
// In narrow table cells Mantine would cut a badge to "QU…"; a status must be read whole.
const WHOLE = { root: { flexShrink: 0, overflow: "visible" }, label: { overflow: "visible" } } as const;

/**
 * A state's name as the viewer reads it: staff see "Waiting on the client" where the client sees
 * "Waiting on you" (an i18next context, `state.<state>_staff`, falling back to the shared name).
 */
export function useStateLabel(): (state: string) => string {
  const { t } = useTranslation("common");
  const role = useSession().me?.role;
  const context = role && isStaffRole(role) ? "staff" : undefined;
  return (state) => t(`state.${state}`, { context });
}

export function StateBadge({ state }: { state: string }) {
  const label = useStateLabel();
  return (
    <Badge color={STATE_COLORS[state] ?? "gray"} variant="light" styles={WHOLE} data-work-state={state}>
      {label(state)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLORS[priority] ?? "gray"} variant="outline" styles={WHOLE} data-priority={priority}>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

export function SlaBadge({ status, paused = false }: { status: string; paused?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={paused ? "gray" : (SLA_COLORS[status] ?? "gray")} variant="filled" styles={WHOLE} data-sla={status}>
      {paused ? t("sla.paused") : t(`sla.${status}`)}
    </Badge>
  );
}
