/** The status of an account, a tenant or an API client, in the same colours on every admin screen. */
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

const STATUS_COLORS: Record<string, string> = {
  active: "teal",
  invited: "blue",
  deactivated: "gray",
  suspended: "red",
  revoked: "gray",
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("admin");
  return (
    <Badge variant="light" color={STATUS_COLORS[status] ?? "gray"} miw="max-content" data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
