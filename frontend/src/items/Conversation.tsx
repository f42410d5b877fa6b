/**
 * The item's conversation: public replies for everyone who sees the item, and for provider staff
 * also internal notes, marked so nobody mistakes one for a reply the client reads (the server
 * never sends them to the client). Closed items take no more messages.
 */
import { Badge, Button, Group, Paper, Stack, Switch, Text, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconLock, IconNote, IconSend } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { isStaffRole } from "./itemActions";
import { useComments, useFailureNotice, useItemChanged, type WorkItem } from "./itemQueries";
import { USER_TEXT } from "./userText";
import { LIMITS } from "../lib/limits";

const CLOSED = new Set(["done", "rejected", "cancelled"]);

export function Conversation({ item, zone }: { item: WorkItem; zone: string }) {
  const { t } = useTranslation("items");
  const comments = useComments(item.id);
  return (
    <Stack gap="sm" component="section" aria-labelledby="conversation-title">
      <Title order={3} size="h4" id="conversation-title">
        {t("conversation.title")}
      </Title>
      <QueryState query={comments} empty={(page) => page.items.length === 0} emptyText={t("conversation.empty")}>
        {(page) => (
          <Stack gap="sm">
            {page.items.map((comment) => (
              <Message key={comment.id} comment={comment} zone={zone} />
            ))}
          </Stack>
        )}
      </QueryState>
      {CLOSED.has(item.state) ? (
        <Text size="sm" c="dimmed">
          {t("conversation.closed")}
        </Text>
      ) : (
        <ReplyBox item={item} />
      )}
    </Stack>
  );
}

function Message({ comment, zone }: { comment: Schemas["CommentOut"]; zone: string }) {
  const { t, i18n } = useTranslation("items");
  const me = useMe();
  const mine = comment.author_id === me.id;
  return (
    <Paper
      withBorder
      p="sm"
      bg={comment.internal ? "yellow.0" : mine ? "indigo.0" : undefined}
      // The inline-start edge (left in English, right in Arabic) marks a note at a glance.
      style={comment.internal ? { borderInlineStart: "4px solid var(--mantine-color-yellow-6)" } : undefined}
      data-testid="comment"
      data-internal={comment.internal}
    >
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {mine ? t("conversation.you") : <bdi>{comment.author_name}</bdi>}
          </Text>
          {comment.internal && (
            <Badge color="yellow" variant="filled" size="sm" leftSection={<IconLock size={12} />}>
              {t("conversation.internal")}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {formatDateTime(comment.created_at, i18n.language, zone)}
        </Text>
      </Group>
      <Text size="sm" style={USER_TEXT}>
        <bdi>{comment.body}</bdi>
      </Text>
    </Paper>
  );
}

function ReplyBox({ item }: { item: WorkItem }) {
  const { t } = useTranslation("items");
  const me = useMe();
  const staff = isStaffRole(me.role);
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const changed = useItemChanged(item.id);
  const failed = useFailureNotice();

  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/work-items/{item_id}/comments", {
          params: { path: { item_id: item.id } },
          body: { body: body.trim(), internal: staff && internal },
        }),
      ),
    onSuccess: (comment) => {
      setBody("");
      notifications.show({
        color: "teal",
        message: comment.internal ? t("conversation.noteAdded") : t("conversation.sent"),
      });
      changed(); // a first public reply meets the first-response clock
    },
    onError: failed,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (body.trim()) send.mutate();
  }

  const placeholder = !staff
    ? t("conversation.replyPlaceholderClient")
    : internal
      ? t("conversation.notePlaceholder")
      : t("conversation.replyPlaceholder");
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} bg={internal ? "yellow.0" : undefined}>
      <Stack gap="xs">
        <Textarea
          label={t("conversation.reply")}
          placeholder={placeholder}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={LIMITS.body}
        />
        <Group justify={staff ? "space-between" : "flex-end"} gap="sm">
          {staff && (
            <Switch
              label={t("conversation.internalSwitch")}
              checked={internal}
              onChange={(event) => setInternal(event.currentTarget.checked)}
              color="yellow"
            />
          )}
          <Button
            type="submit"
            loading={send.isPending}
            disabled={!body.trim()}
            color={internal ? "yellow" : undefined}
            leftSection={internal ? <IconNote size={18} /> : <IconSend size={18} />}
          >
            {internal ? t("conversation.addNote") : t("conversation.send")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
