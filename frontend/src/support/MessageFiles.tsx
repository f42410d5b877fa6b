/**
 * The files a customer's email brought, under that email. They are the ticket's work-item files, so
 * they download by the item's attachment route, through the API client: the bearer token travels in
 * a header, never in a link, and the bytes are saved from a blob.
 */
import { Anchor, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPaperclip } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { formatBytes } from "../lib/format";
import { saveFile } from "../lib/saveFile";
import { NS } from "./i18n";
import classes from "./Thread.module.css";

export type MessageFile = Schemas["MessageAttachmentOut"];

export function MessageFiles({ files, workItemId }: { files: readonly MessageFile[]; workItemId: string }) {
  const { t } = useTranslation(NS);
  if (files.length === 0) return null;
  return (
    <ul className={classes.files} aria-label={t("thread.attachments")} data-testid="support-message-files">
      {files.map((file) => (
        <FileLink key={file.id} file={file} workItemId={workItemId} />
      ))}
    </ul>
  );
}

function FileLink({ file, workItemId }: { file: MessageFile; workItemId: string }) {
  const { t, i18n } = useTranslation(NS);
  const download = useMutation({
    mutationFn: () =>
      unwrap(
        api.GET("/api/v1/work-items/{item_id}/attachments/{attachment_id}", {
          params: { path: { item_id: workItemId, attachment_id: file.id } },
          parseAs: "blob",
        }),
      ),
    onSuccess: (blob) => saveFile(blob, file.filename),
    onError: (error) => notifications.show({ color: "red", title: t("thread.downloadFailed"), message: error.message }),
  });
  return (
    <Group component="li" gap="xs" wrap="nowrap" miw={0}>
      <IconPaperclip size={14} aria-hidden style={{ flexShrink: 0 }} />
      <Anchor
        component="button"
        type="button"
        size="sm"
        truncate="end"
        aria-label={t("thread.download", { name: file.filename })}
        aria-busy={download.isPending || undefined}
        onClick={() => download.isPending || download.mutate()}
      >
        <bdi>{file.filename}</bdi>
      </Anchor>
      <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
        {formatBytes(file.size_bytes, i18n.language)}
      </Text>
    </Group>
  );
}
