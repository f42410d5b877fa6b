/**
 * The agent's email answer: the body, who else gets a copy, and optionally a macro (picked by
 * keyboard: "/" in an empty reply or Ctrl+M; the server fills in its placeholders, the preview here
 * shows what it will say). Ctrl+Enter sends; the sent reply joins the thread at once.
 */
import { ActionIcon, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconSend, IconTemplate, IconX } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, forTenant, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { ErrorAlert } from "../components/QueryState";
import { itemKey, type WorkItem } from "../items/itemQueries";
import { USER_TEXT } from "../items/userText";
import { LIMITS } from "../lib/limits";
import { NS } from "./i18n";
import { fillPlaceholders, type Macro } from "./macros";
import { MacroPicker } from "./MacroPicker";
import { supportKey, useMacros } from "./queries";
import { parseCc, type Ticket, type TicketMessage } from "./thread";

// The server takes no more replies on these (a done ticket still may be answered).
const CLOSED = new Set(["rejected", "cancelled"]);

type Page = { items: TicketMessage[]; total: number; limit: number; offset: number };

export function ReplyBox({ ticket, item }: { ticket: Ticket; item: WorkItem }) {
  const { t } = useTranslation(NS);
  const me = useMe();
  const queryClient = useQueryClient();
  const macros = useMacros(ticket.tenant_id);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState("");
  const [ccText, setCcText] = useState("");
  const [macro, setMacro] = useState<Macro | null>(null);
  const [picking, setPicking] = useState(false);
  const cc = parseCc(ccText);
  const ready = (body.trim() !== "" || macro !== null) && cc.invalid.length === 0;

  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/support/tickets/{ticket_id}/messages", {
          params: { path: { ticket_id: ticket.id } },
          body: { body: body.trim(), cc: cc.addresses, macro_id: macro?.id ?? null },
          ...forTenant(ticket.tenant_id),
        }),
      ),
    onSuccess: (sent) => {
      const key = [...supportKey(ticket.tenant_id), "messages", ticket.id];
      queryClient.setQueryData<Page>(key, (page) => page && { ...page, items: [...page.items, sent], total: page.total + 1 });
      void queryClient.invalidateQueries({ queryKey: ["support"] });
      void queryClient.invalidateQueries({ queryKey: itemKey(item.id) });
      setBody("");
      setCcText("");
      setMacro(null);
      notifications.show({ color: "teal", message: t("reply.sent", { address: ticket.customer.email }) });
      bodyRef.current?.focus();
    },
  });

  if (CLOSED.has(item.state)) {
    return (
      <Text size="sm" c="dimmed">
        {t("reply.closed")}
      </Text>
    );
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (ready && !send.isPending) send.mutate();
  }

  function shortcuts(event: KeyboardEvent<HTMLElement>) {
    const withControl = event.ctrlKey || event.metaKey;
    if (withControl && event.key === "Enter") {
      event.preventDefault();
      submit();
    } else if (withControl && event.key.toLowerCase() === "m") {
      event.preventDefault();
      setPicking(true);
    }
  }

  function bodyKeys(event: KeyboardEvent<HTMLTextAreaElement>) {
    // "/" opens the picker only in an empty reply: inside a sentence it is just a slash.
    if (event.key === "/" && body === "" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      setPicking(true);
      return;
    }
    shortcuts(event);
  }

  function pick(chosen: Macro) {
    setMacro(chosen);
    setPicking(false);
  }

  const preview =
    macro &&
    fillPlaceholders(macro.body, {
      customer_name: ticket.customer.name || ticket.customer.email,
      ticket_reference: ticket.reference,
      agent_name: me.name,
    });

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="reply-title" data-testid="support-reply">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={3} size="h4" id="reply-title">
            {t("reply.title")}
          </Title>
          <Text size="xs" c="dimmed">
            {t("reply.to", { address: ticket.customer.email })}
          </Text>
        </Group>
        {macro && (
          <Paper withBorder p="sm" bg="gray.0" aria-label={t("reply.macroPreview")} data-testid="macro-preview">
            <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
              <Text size="xs" fw={600}>
                {t("reply.macro", { name: macro.name })}
              </Text>
              <Tooltip label={t("reply.removeMacro")}>
                <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t("reply.removeMacro")} onClick={() => setMacro(null)}>
                  <IconX size={14} />
                </ActionIcon>
              </Tooltip>
            </Group>
            <Text size="sm" style={USER_TEXT} dir="auto">
              {preview}
            </Text>
          </Paper>
        )}
        <Textarea
          ref={bodyRef}
          label={macro ? t("reply.bodyWithMacro") : t("reply.body")}
          placeholder={t("reply.bodyPlaceholder")}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          onKeyDown={bodyKeys}
          autosize
          minRows={4}
          maxRows={14}
          maxLength={LIMITS.body}
          aria-keyshortcuts="Control+Enter Control+M"
        />
        <TextInput
          label={t("reply.cc")}
          placeholder={t("reply.ccPlaceholder")}
          value={ccText}
          onChange={(event) => setCcText(event.currentTarget.value)}
          onKeyDown={shortcuts}
          error={cc.invalid.length ? t("reply.ccInvalid", { words: cc.invalid.join(", ") }) : undefined}
          dir="ltr"
        />
        {send.error && <ErrorAlert error={send.error} />}
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Group gap="sm">
            <Button
              variant="default"
              leftSection={<IconTemplate size={18} />}
              onClick={() => setPicking(true)}
              aria-keyshortcuts="Control+M"
            >
              {t("reply.pickMacro")}
            </Button>
            <Text size="xs" c="dimmed">
              {t("reply.shortcuts")}
            </Text>
          </Group>
          <Button type="submit" loading={send.isPending} disabled={!ready} leftSection={<IconSend size={18} />} aria-keyshortcuts="Control+Enter">
            {t("reply.send")}
          </Button>
        </Group>
      </Stack>
      <MacroPicker
        opened={picking}
        macros={macros.data ?? []}
        loading={macros.isPending}
        onPick={pick}
        onClose={() => setPicking(false)}
      />
    </Paper>
  );
}
