/**
 * The item's files: list, download and upload. Downloads go through the API client, so the
 * bearer token travels in a header and never in a link; the bytes are saved from a blob.
 * Staff may mark an upload "staff only" (the server hides it from the client).
 */
import { ActionIcon, Badge, Button, FileButton, Group, Paper, Stack, Switch, Text, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload, IconLock, IconPaperclip, IconUpload } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { QueryState } from "../components/QueryState";
import { formatBytes, formatDateTime } from "../lib/format";
import { isStaffRole } from "./itemActions";
import { useAttachments, useFailureNotice, useItemChanged, type WorkItem } from "./itemQueries";

type Attachment = Schemas["AttachmentOut"];

export function Attachments({ item, zone }: { item: WorkItem; zone: string }) {
  const { t } = useTranslation("items");
  const attachments = useAttachments(item.id);
  return (
    <Stack gap="sm" component="section" aria-labelledby="attachments-title">
      <Group justify="space-between" gap="sm">
        <Title order={3} size="h4" id="attachments-title">
          {t("attachments.title")}
        </Title>
        <Upload item={item} />
      </Group>
      <QueryState query={attachments} empty={(page) => page.items.length === 0} emptyText={t("attachments.empty")}>
        {(page) => (
          <Stack gap="xs">
            {page.items.map((attachment) => (
              <AttachmentRow key={attachment.id} attachment={attachment} zone={zone} />
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function AttachmentRow({ attachment, zone }: { attachment: Attachment; zone: string }) {
  const { t, i18n } = useTranslation("items");
  const download = useMutation({
    mutationFn: () =>
      unwrap(
        api.GET("/api/v1/work-items/{item_id}/attachments/{attachment_id}", {
          params: { path: { item_id: attachment.work_item_id, attachment_id: attachment.id } },
          parseAs: "blob",
        }),
      ),
    onSuccess: (blob) => saveBlob(blob, attachment.filename),
    onError: (error) =>
      notifications.show({ color: "red", title: t("attachments.downloadFailed"), message: error.message }),
  });
  const label = t("attachments.download", { name: attachment.filename });
  return (
    <Paper withBorder px="sm" py="xs" data-testid="attachment">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <IconPaperclip size={18} aria-hidden style={{ flexShrink: 0 }} />
          <Stack gap={0} miw={0}>
            <Group gap="xs" wrap="nowrap" miw={0}>
              <Text size="sm" fw={500} truncate="end">
                <bdi>{attachment.filename}</bdi>
              </Text>
              {attachment.internal && (
                <Badge color="yellow" size="sm" variant="light" leftSection={<IconLock size={12} />}>
                  {t("attachments.staffOnly")}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {formatBytes(attachment.size_bytes, i18n.language)} · {formatDateTime(attachment.created_at, i18n.language, zone)}
            </Text>
          </Stack>
        </Group>
        <Tooltip label={label}>
          <ActionIcon variant="light" aria-label={label} loading={download.isPending} onClick={() => download.mutate()}>
            <IconDownload size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Paper>
  );
}

/** Hand the browser a blob to save under the file's own name. */
function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the bytes once the click is handled; free them after.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Upload({ item }: { item: WorkItem }) {
  const { t, i18n } = useTranslation("items");
  const me = useMe();
  const staff = isStaffRole(me.role);
  const [staffOnly, setStaffOnly] = useState(false);
  // Cleared after each upload, so choosing the same file again (say, after a refusal) uploads again.
  const resetRef = useRef<() => void>(null);
  const changed = useItemChanged(item.id);
  const failed = useFailureNotice();

  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file);
      if (staff && staffOnly) form.append("internal", "true");
      return unwrap(
        api.POST("/api/v1/work-items/{item_id}/attachments", {
          params: { path: { item_id: item.id } },
          // The generated type calls a binary field a string; the form below carries the real File.
          body: { file: file.name },
          bodySerializer: () => form,
        }),
      );
    },
    onSuccess: (attachment) => {
      notifications.show({ color: "teal", message: t("attachments.uploaded", { name: attachment.filename }) });
      changed();
    },
    onSettled: () => resetRef.current?.(),
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 413 || error.status === 415)) {
        const maxBytes = (error.extra as { max_bytes?: number } | undefined)?.max_bytes;
        const message =
          error.status === 415
            ? t("attachments.unsupported")
            : maxBytes
              ? t("attachments.tooLarge", { limit: formatBytes(maxBytes, i18n.language) })
              : t("attachments.tooLargeNoLimit");
        notifications.show({ color: "red", title: t("attachments.uploadFailed"), message, autoClose: 10_000 });
      } else {
        failed(error);
      }
    },
  });

  return (
    <Group gap="sm">
      {staff && (
        <Switch
          size="sm"
          label={t("attachments.staffOnly")}
          aria-description={t("attachments.staffOnlyHint")}
          checked={staffOnly}
          onChange={(event) => setStaffOnly(event.currentTarget.checked)}
          color="yellow"
        />
      )}
      <FileButton resetRef={resetRef} onChange={(file) => file && upload.mutate(file)}>
        {(props) => (
          <Button {...props} variant="light" leftSection={<IconUpload size={18} />} loading={upload.isPending}>
            {t("attachments.upload")}
          </Button>
        )}
      </FileButton>
    </Group>
  );
}
