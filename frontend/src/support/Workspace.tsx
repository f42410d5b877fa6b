/**
 * The Support desk's workspace on the console's item page (desks/registry.ts): the item's ticket,
 * who wrote and who is on copy, its tags and priority, the email thread, and the reply box.
 */
import "./i18n";
import { Alert, Center, Loader, Stack } from "@mantine/core";
import { IconMailOff } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import type { DeskWorkspaceProps } from "../desks/registry";
import { NS } from "./i18n";
import { useTicketOfItem } from "./queries";
import { ReplyBox } from "./ReplyBox";
import { Thread } from "./Thread";
import { TicketFacts } from "./TicketFacts";

export default function SupportWorkspace({ item }: DeskWorkspaceProps) {
  const { t } = useTranslation(NS);
  const ticket = useTicketOfItem(item.id, item.tenant_id);
  if (ticket.isPending) {
    return (
      <Center py="xl" aria-busy="true">
        <Loader size="sm" aria-label={t("workspace.loading")} />
      </Center>
    );
  }
  if (ticket.error) return <ErrorAlert error={ticket.error} onRetry={() => void ticket.refetch()} />;
  if (!ticket.data) {
    return (
      <Alert color="gray" icon={<IconMailOff size={18} />} data-testid="support-no-ticket">
        {t("workspace.noTicket")}
      </Alert>
    );
  }
  return (
    <Stack gap="md" data-testid="support-workspace">
      <TicketFacts ticket={ticket.data} item={item} />
      <Thread ticket={ticket.data} />
      <ReplyBox ticket={ticket.data} item={item} />
    </Stack>
  );
}
