/**
 * The ticket's emails, oldest first. Each shows its new part; the quoted history (or the sanitised
 * HTML the server kept) opens on demand. Mail from someone who is neither the customer nor on copy
 * is marked so nobody answers a stranger by mistake; automatic mail is marked too. The files an email
 * brought are listed under it.
 */
import { Alert, Badge, Box, Button, Group, Paper, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconArrowBackUp, IconMail, IconRobot } from "@tabler/icons-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { USER_TEXT } from "../items/userText";
import { formatDateTime } from "../lib/format";
import { useTenantZone } from "../lib/tenants";
import { NS } from "./i18n";
import { MessageFiles } from "./MessageFiles";
import { useMessages } from "./queries";
import { hasQuotedHistory, messageMarks, messageTime, shownText, type Ticket, type TicketMessage, threadOrder } from "./thread";
import classes from "./Thread.module.css";

export function Thread({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation(NS);
  const messages = useMessages(ticket.id, ticket.tenant_id);
  const zone = useTenantZone(ticket.tenant_id);
  return (
    <Stack gap="sm" component="section" aria-labelledby="thread-title">
      <Title order={3} size="h4" id="thread-title">
        {t("thread.title")}
      </Title>
      <QueryState query={messages} empty={(page) => page.items.length === 0} emptyText={t("thread.empty")}>
        {(page) => (
          <Stack gap="sm" component="ol" className={classes.list} aria-label={t("thread.title")}>
            {threadOrder(page.items).map((message) => (
              <li key={message.id}>
                <MessageCard message={message} zone={zone} workItemId={ticket.work_item_id} />
              </li>
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function MessageCard({ message, zone, workItemId }: { message: TicketMessage; zone: string; workItemId: string }) {
  const { t, i18n } = useTranslation(NS);
  const [history, setHistory] = useState(false);
  const bodyId = useId();
  const outbound = message.direction === "outbound";
  const marks = messageMarks(message);
  const sender = message.from_name ? `${message.from_name} <${message.from_address}>` : message.from_address;
  const classNames = [classes.message, outbound ? classes.outbound : "", message.flagged ? classes.flagged : ""];
  return (
    <Paper
      withBorder
      p="sm"
      className={classNames.join(" ")}
      component="article"
      aria-label={`${outbound ? t("thread.outbound") : t("thread.inbound")}: ${sender}`}
      data-testid="support-message"
      data-direction={message.direction}
      data-flagged={message.flagged || undefined}
      data-automatic={message.auto_submitted || undefined}
    >
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Group gap="xs" wrap="wrap">
          {outbound ? <IconArrowBackUp size={16} aria-hidden /> : <IconMail size={16} aria-hidden />}
          <Text size="sm" fw={600} style={USER_TEXT}>
            <bdi>{sender}</bdi>
          </Text>
          <Badge size="sm" variant="light" color={outbound ? "indigo" : "gray"}>
            {outbound ? t("thread.outbound") : t("thread.inbound")}
          </Badge>
          {marks.map((mark) => (
            <Mark key={mark} mark={mark} />
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {message.direction === "outbound" && !message.sent_at
            ? t("thread.pending")
            : formatDateTime(messageTime(message), i18n.language, zone)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb="xs" style={USER_TEXT}>
        {t("thread.to")}: <bdi>{message.to_addresses.join(", ")}</bdi>
        {message.cc_addresses.length > 0 && (
          <>
            {" · "}
            {t("thread.cc")}: <bdi>{message.cc_addresses.join(", ")}</bdi>
          </>
        )}
      </Text>
      {message.flagged && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={16} />} p="xs" mb="xs">
          <Text size="xs">{t("thread.flaggedHelp")}</Text>
        </Alert>
      )}
      <MailText text={shownText(message)} testId="support-message-body" />
      <MessageFiles files={message.attachments ?? []} workItemId={workItemId} />
      {hasQuotedHistory(message) && (
        <>
          <Button
            variant="subtle"
            size="compact-xs"
            mt="xs"
            onClick={() => setHistory((shown) => !shown)}
            aria-expanded={history}
            aria-controls={bodyId}
          >
            {history ? t("thread.hideHistory") : t("thread.showHistory")}
          </Button>
          <Box id={bodyId} hidden={!history} className={classes.history} mt="xs" dir="auto">
            {history &&
              (message.html ? (
                // The server keeps only sanitised HTML (no scripts, handlers or remote content).
                <div dangerouslySetInnerHTML={{ __html: message.html }} />
              ) : (
                <MailText text={message.text} />
              ))}
          </Box>
        </>
      )}
    </Paper>
  );
}

/**
 * Mail text, each line in its own direction: a customer may write Arabic under an English greeting
 * (or the desk's acknowledgement may say both), and each line must read from its own start.
 */
function MailText({ text, testId }: { text: string; testId?: string }) {
  return (
    <Text size="sm" component="div" data-testid={testId}>
      {text.split("\n").map((line, index) => (
        <div key={index} dir="auto" className={classes.line}>
          {line}
        </div>
      ))}
    </Text>
  );
}

function Mark({ mark }: { mark: ReturnType<typeof messageMarks>[number] }) {
  const { t } = useTranslation(NS);
  if (mark === "flagged") {
    return (
      <Tooltip label={t("thread.flaggedHelp")} multiline w={260} withArrow>
        <Badge size="sm" color="orange" variant="filled" leftSection={<IconAlertTriangle size={12} />} data-mark="flagged">
          {t("thread.flagged")}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge size="sm" color="gray" variant="outline" leftSection={<IconRobot size={12} />} data-mark={mark}>
      {t(`thread.${mark}`)}
    </Badge>
  );
}
