/**
 * An employee's documents (national id, visa, work permit, contract): the list with each expiry
 * highlighted when it has passed or comes within the reminder window, the file to download for who
 * may see personal data, and a form to record one with its file. The record and its file are two
 * requests; when the file is refused the record is taken back, so a failed upload leaves nothing
 * half-made, and the API's own reason is shown beside the form.
 */
import "./documentsI18n";
import { ActionIcon, Alert, Badge, Button, Card, FileInput, Group, Select, Stack, Table, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload, IconUpload } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { errorMessage, QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { saveFile } from "../lib/saveFile";
import { expiryState, localToday } from "./documentExpiry";
import { DOCS_NS } from "./documentsI18n";
import { type HrDocument, type HrScope, hrKey, useDocuments } from "./queries";

const KINDS = ["national_id", "visa", "work_permit", "contract"] as const;
type Kind = (typeof KINDS)[number];
const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = "application/pdf,image/png,image/jpeg,image/webp";

export function EmployeeDocuments({ scope, employeeId }: { scope: HrScope; employeeId: string }) {
  const { t } = useTranslation(DOCS_NS);
  const me = useMe();
  const documents = useDocuments(scope, employeeId);
  const keeper = scope.inConsole || me.role === "client_admin";
  return (
    <Card withBorder data-testid="hr-documents">
      <Title order={4} mb="sm">
        {t("title")}
      </Title>
      <QueryState query={documents} empty={(data) => data.items.length === 0} emptyText={t("none")}>
        {(data) => <DocumentTable documents={data.items} mayDownload={keeper} />}
      </QueryState>
      {keeper && <UploadForm scope={scope} employeeId={employeeId} />}
    </Card>
  );
}

function DocumentTable({ documents, mayDownload }: { documents: HrDocument[]; mayDownload: boolean }) {
  const { t } = useTranslation(DOCS_NS);
  const today = localToday();
  return (
    <Table data-testid="hr-document-list">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("kind")}</Table.Th>
          <Table.Th>{t("expires")}</Table.Th>
          <Table.Th>{t("file")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {documents.map((document) => (
          <Table.Tr key={document.id} data-testid="hr-document" data-expiry={expiryState(document.expires_on, today)}>
            <Table.Td>
              <Text size="sm">{t(`doc_${document.kind}`)}</Text>
              {document.title && (
                <Text size="xs" c="dimmed">
                  {document.title}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Expiry expiresOn={document.expires_on} today={today} />
            </Table.Td>
            <Table.Td>
              {document.has_file && document.file_name ? (
                <Group gap={4} wrap="nowrap">
                  <Text size="sm" truncate="end" maw={160}>
                    <bdi>{document.file_name}</bdi>
                  </Text>
                  {mayDownload && <Download document={document} />}
                </Group>
              ) : (
                <Text size="sm" c="dimmed">
                  {t("noFile")}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Expiry({ expiresOn, today }: { expiresOn: string | null; today: string }) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const state = expiryState(expiresOn, today);
  if (state === "none") return <Text size="sm">{t("noExpiry")}</Text>;
  const shown = formatDate(expiresOn, i18n.language, "UTC");
  if (state === "ok") return <Text size="sm">{shown}</Text>;
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" c={state === "expired" ? "red" : "orange"} fw={600}>
        {shown}
      </Text>
      <Badge size="xs" color={state === "expired" ? "red" : "orange"} variant="light">
        {t(state === "expired" ? "expired" : "expiringSoon")}
      </Badge>
    </Stack>
  );
}

function Download({ document }: { document: HrDocument }) {
  const { t } = useTranslation(DOCS_NS);
  const download = useMutation({
    mutationFn: async () =>
      (await unwrap(
        api.GET("/api/v1/hr/documents/{document_id}/file", {
          params: { path: { document_id: document.id } },
          parseAs: "blob",
        }),
      )) as unknown as Blob,
    onSuccess: (blob) => saveFile(blob, document.file_name ?? "document"),
    onError: (error) =>
      notifications.show({ color: "red", title: t("downloadFailed"), message: errorMessage(error, t("downloadFailed")) }),
  });
  const label = t("download", { name: document.file_name ?? "" });
  return (
    <Tooltip label={label}>
      <ActionIcon variant="light" size="sm" aria-label={label} loading={download.isPending} onClick={() => download.mutate()} data-testid="hr-document-download">
        <IconDownload size={14} />
      </ActionIcon>
    </Tooltip>
  );
}

/** Record the document, then attach its file; a refused file takes the record back. */
async function recordDocument(
  scope: HrScope,
  body: Schemas["DocumentIn"],
  file: File,
): Promise<HrDocument> {
  const made = await unwrap(api.POST("/api/v1/hr/documents", { body, ...scope.headers }));
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    return await unwrap(
      api.PUT("/api/v1/hr/documents/{document_id}/file", {
        params: { path: { document_id: made.id } },
        // The generated type calls a binary field a string; the form carries the real File.
        body: { file: file.name } as never,
        bodySerializer: () => form,
      }),
    );
  } catch (error) {
    await api.DELETE("/api/v1/hr/documents/{document_id}", { params: { path: { document_id: made.id } } });
    throw error;
  }
}

function UploadForm({ scope, employeeId }: { scope: HrScope; employeeId: string }) {
  const { t } = useTranslation(DOCS_NS);
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind | null>(null);
  const [expiresOn, setExpiresOn] = useState("");
  const [title, setTitle] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: () => {
      if (!kind || !file) throw new Error(t("failed"));
      if (file.size > MAX_BYTES) throw new Error(t("tooLarge"));
      const body = { employee_id: employeeId, kind, expires_on: expiresOn || null, title: title.trim() || null };
      return recordDocument(scope, body, file);
    },
    onMutate: () => setProblem(null),
    onSuccess: (made) => {
      notifications.show({ color: "teal", message: t("uploaded", { kind: t(`doc_${made.kind}`) }) });
      setKind(null);
      setExpiresOn("");
      setTitle("");
      setFile(null);
      queryClient.invalidateQueries({ queryKey: [...hrKey(scope.tenantId), "documents"] });
    },
    onError: (error) => setProblem(errorMessage(error, t("failed")) || t("failed")),
  });
  return (
    <Stack gap="xs" mt="md" component="form" onSubmit={(event) => (event.preventDefault(), upload.mutate())}>
      <Title order={5}>{t("upload")}</Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t("kind")}
          data={KINDS.map((value) => ({ value, label: t(`doc_${value}`) }))}
          value={kind}
          onChange={(value) => setKind((value as Kind | null) ?? null)}
          required
          w={170}
          data-testid="hr-document-kind"
        />
        <TextInput
          label={t("expires")}
          type="date"
          value={expiresOn}
          onChange={(event) => setExpiresOn(event.currentTarget.value)}
          w={160}
          data-testid="hr-document-expires"
        />
        <TextInput
          label={t("titleLabel")}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          maxLength={200}
          w={180}
        />
      </Group>
      <Group align="flex-end" gap="sm">
        <FileInput
          label={t("chooseFile")}
          placeholder={t("chooseFilePlaceholder")}
          accept={ACCEPT}
          value={file}
          onChange={setFile}
          clearable
          w={280}
          data-testid="hr-document-file"
        />
        <Button type="submit" leftSection={<IconUpload size={16} />} loading={upload.isPending} disabled={!kind || !file} data-testid="hr-document-upload">
          {t("uploadButton")}
        </Button>
      </Group>
      {problem && (
        <Alert color="red" role="alert" data-testid="hr-document-error">
          {problem}
        </Alert>
      )}
    </Stack>
  );
}
