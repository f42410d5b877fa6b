/** A batch's and a record's status, in the same colours on every data entry screen. */
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";

const BATCH_COLORS: Record<string, string> = { importing: "blue", ready: "cyan", in_progress: "indigo", done: "teal", failed: "red" };

export function BatchStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation(NS);
  return (
    <Badge variant="light" color={BATCH_COLORS[status] ?? "gray"} miw="max-content" data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export function RecordStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation(NS);
  return (
    <Badge variant="dot" color={status === "accepted" ? "teal" : "orange"} miw="max-content" data-status={status}>
      {t(`recordStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}
