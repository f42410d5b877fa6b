/**
 * Documents to book, one tenant's, newest first. In the portal the tenant's people send bills,
 * receipts and sales invoices (each becomes a request under the SLA) and follow them to booked; in
 * the console staff see the same list with a way into each document's booking workspace.
 */
import "./i18n";
import "./documentsI18n";
import { ActionIcon, Anchor, Badge, Button, Card, FileInput, Group, Select, Stack, Table, Text, Textarea, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload, IconFileUpload } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { errorMessage, ErrorAlert, QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { WithBooks } from "./BooksSection";
import { DOCS_NS } from "./documentsI18n";
import { type BookDocument, DOCUMENT_KINDS, type DocumentKind, downloadDocument, useDocuments, useSendDocuments } from "./documentsQueries";
import type { BooksScope } from "./queries";

const PAGE_SIZE = 20;
const ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp";
const STATUS_COLORS: Record<BookDocument["status"], string> = {
  to_book: "blue",
  pending_approval: "orange",
  booked: "teal",
  reversed: "red",
};

export function Component() {
  return <WithBooks>{(scope) => <Documents scope={scope} />}</WithBooks>;
}

function Documents({ scope }: { scope: BooksScope }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const paging = usePaging(PAGE_SIZE);
  const documents = useDocuments(scope, paging.limit, paging.offset);
  const itemPath = (document: BookDocument) =>
    scope.inConsole ? `/console/books/work/${document.work_item_id}` : `/portal/items/${document.work_item_id}`;
  return (
    <Stack gap="md">
      {!scope.inConsole && <SendForm scope={scope} />}
      <Title order={3}>{t("list.title")}</Title>
      <QueryState query={documents} empty={(page) => !page.total} emptyText={t("list.empty")}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={720} type="native">
              <Table striped verticalSpacing="xs" data-testid="books-documents">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("list.document")}</Table.Th>
                    <Table.Th>{t("list.kind")}</Table.Th>
                    <Table.Th>{t("list.sent")}</Table.Th>
                    <Table.Th>{t("list.status")}</Table.Th>
                    <Table.Th>{t("list.entry")}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((document) => (
                    <Table.Tr key={document.id} data-testid="books-document" data-status={document.status} data-filename={document.filename}>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Tooltip label={t("list.download", { filename: document.filename })}>
                            <ActionIcon
                              variant="subtle"
                              aria-label={t("list.download", { filename: document.filename })}
                              onClick={() =>
                                void downloadDocument(document, scope.tenantId).catch((error: unknown) =>
                                  notifications.show({ color: "red", message: errorMessage(error, "") }),
                                )
                              }
                            >
                              <IconDownload size={16} />
                            </ActionIcon>
                          </Tooltip>
                          <Text size="sm" truncate maw={260}>
                            <bdi>{document.filename}</bdi>
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>{t(`kind.${document.kind}`)}</Table.Td>
                      <Table.Td>{formatDateTime(document.uploaded_at, i18n.language)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLORS[document.status]}>
                          {t(`status.${document.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td dir="ltr">{document.entry?.number ?? "—"}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={itemPath(document)} size="sm">
                          {scope.inConsole ? t("list.work") : t("list.open")}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Paging total={page.total} paging={paging} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function SendForm({ scope }: { scope: BooksScope }) {
  const { t } = useTranslation(DOCS_NS);
  const [kind, setKind] = useState<DocumentKind>("bill");
  const [files, setFiles] = useState<File[]>([]);
  const [note, setNote] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const send = useSendDocuments(scope);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!files.length) return;
    send.mutate(
      { kind, files, note: note.trim() },
      {
        onSuccess: (sent) => {
          for (const { document, made } of sent) {
            if (!made) notifications.show({ color: "orange", message: t("upload.again", { filename: document.filename }) });
          }
          notifications.show({ color: "teal", message: t("upload.sent", { count: sent.filter((one) => one.made).length }) });
          setFiles([]);
          setNote("");
          setSubmitted(false);
        },
      },
    );
  }

  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-labelledby="books-send-title" data-testid="books-send-form">
      <Stack gap="sm">
        <Title order={3} id="books-send-title">
          {t("upload.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("upload.hint")}
        </Text>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <Select
            label={t("upload.kind")}
            data={DOCUMENT_KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))}
            value={kind}
            onChange={(value) => value && setKind(value as DocumentKind)}
            allowDeselect={false}
            w={220}
            data-testid="books-send-kind"
          />
          <FileInput
            label={t("upload.files")}
            placeholder={t("upload.filesPlaceholder")}
            accept={ACCEPT}
            multiple
            value={files}
            onChange={setFiles}
            leftSection={<IconFileUpload size={16} />}
            error={submitted && !files.length ? t("upload.chooseFiles") : undefined}
            w={360}
            maw="100%"
            clearable
          />
        </Group>
        <Textarea label={t("upload.note")} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
        {send.error && <ErrorAlert error={send.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={send.isPending} leftSection={<IconFileUpload size={16} />}>
            {t("upload.send")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
