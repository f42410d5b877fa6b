/**
 * Send a file of rows, or documents to key, for a record schema. A header that does not fit the
 * schema is refused whole (422): the columns it does not know, the required ones it lacks, and what
 * the schema expects. Refused documents are listed each with its reason.
 */
import { Alert, Button, Card, FileInput, Group, List, SegmentedControl, Select, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconFileAlert, IconFileUpload, IconTableOptions } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { NS } from "./i18n";
import { dataEntryKey, useSchemas } from "./queries";
import { type ColumnProblems, columnProblems } from "./records";
import { refusedFiles, sendBatch, sendDocuments, type Split } from "./upload";

const ACCEPT = ".csv,.tsv,.txt,.xlsx";
const ACCEPT_DOCUMENTS = ".pdf,.png,.jpg,.jpeg,.webp";
type Mode = "rows" | "documents";

export function UploadForm() {
  const { t } = useTranslation(NS);
  const schemas = useSchemas();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [schema, setSchema] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>("rows");
  const [documents, setDocuments] = useState<File[]>([]);
  const [split, setSplit] = useState<Split>("document");
  const [submitted, setSubmitted] = useState(false);
  const send = useMutation({
    mutationFn: ({ code }: { code: string }) =>
      mode === "rows" && file ? sendBatch(code, file) : sendDocuments(code, documents, split),
    onSuccess: async ({ batch, made }) => {
      const sent = mode === "rows" ? "upload.sent" : "upload.sentDocuments";
      notifications.show({ color: "teal", message: t(made ? sent : "upload.again", { filename: batch.filename }) });
      await queryClient.invalidateQueries({ queryKey: dataEntryKey(null) });
      navigate(`/portal/data-entry/batches/${batch.id}`);
    },
  });
  const options = (schemas.data?.items ?? []).map((item) => ({ value: item.code, label: `${item.name} (${item.code})` }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (schema && (mode === "rows" ? file : documents.length)) send.mutate({ code: schema });
  }

  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-labelledby="upload-title" data-testid="upload-form">
      <Stack gap="sm">
        <Title order={3} id="upload-title">
          {t(mode === "rows" ? "upload.title" : "upload.titleDocuments")}
        </Title>
        <SegmentedControl
          aria-label={t("upload.mode")}
          data-testid="upload-mode"
          value={mode}
          onChange={(value) => setMode(value as Mode)}
          data={[
            { value: "rows", label: t("upload.modeRows") },
            { value: "documents", label: t("upload.modeDocuments") },
          ]}
          w="fit-content"
        />
        <Text size="sm" c="dimmed">
          {t(mode === "rows" ? "upload.intro" : "upload.documentsIntro")}
        </Text>
        {schemas.isSuccess && options.length === 0 && <Alert color="gray">{t("upload.noSchemas")}</Alert>}
        <Group align="flex-start" gap="sm" wrap="wrap">
          <Select
            label={t("upload.schema")}
            placeholder={t("upload.schemaPlaceholder")}
            data={options}
            value={schema}
            onChange={(value) => setSchema(typeof value === "string" ? value : null)}
            searchable
            withAsterisk
            disabled={schemas.isPending}
            error={submitted && !schema ? t("upload.chooseBoth") : undefined}
            w={320}
            maw="100%"
          />
          {mode === "rows" ? (
            <FileInput
              label={t("upload.file")}
              placeholder={t("upload.filePlaceholder")}
              accept={ACCEPT}
              value={file}
              onChange={setFile}
              leftSection={<IconFileUpload size={16} />}
              clearable
              withAsterisk
              error={submitted && !file ? t("upload.chooseBoth") : undefined}
              w={320}
              maw="100%"
            />
          ) : (
            <Stack gap="xs">
              <FileInput
                label={t("upload.documents")}
                placeholder={t("upload.documentsPlaceholder")}
                accept={ACCEPT_DOCUMENTS}
                multiple
                value={documents}
                onChange={setDocuments}
                leftSection={<IconFileUpload size={16} />}
                clearable
                withAsterisk
                error={submitted && !documents.length ? t("upload.chooseDocuments") : undefined}
                w={320}
                maw="100%"
              />
              <Group gap="xs">
                <Text size="sm">{t("upload.split")}</Text>
                <SegmentedControl
                  aria-label={t("upload.split")}
                  data-testid="upload-split"
                  size="xs"
                  value={split}
                  onChange={(value) => setSplit(value as Split)}
                  data={[
                    { value: "document", label: t("upload.splitDocument") },
                    { value: "page", label: t("upload.splitPage") },
                  ]}
                />
              </Group>
            </Stack>
          )}
        </Group>
        <UploadProblems error={send.error} />
        <Group>
          <Button type="submit" loading={send.isPending} leftSection={<IconFileUpload size={18} />}>
            {t(mode === "rows" ? "upload.submit" : "upload.submitDocuments")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function UploadProblems({ error }: { error: unknown }) {
  if (!error) return null;
  const files = refusedFiles(error);
  if (files) return <RefusedDocuments files={files} />;
  const columns = columnProblems(error);
  if (columns) return <ColumnMismatch columns={columns} detail={error instanceof ApiError ? error.message : ""} />;
  return <ErrorAlert error={error} />;
}

function ColumnMismatch({ columns, detail }: { columns: ColumnProblems; detail: string }) {
  const { t } = useTranslation(NS);
  const groups = [
    ["unknown", columns.unknown],
    ["missing", columns.missing],
    ["repeated", columns.repeated],
  ] as const;
  return (
    <Alert color="red" icon={<IconTableOptions size={18} />} title={t("upload.columnsTitle")} role="alert" data-testid="upload-columns">
      <Stack gap="xs">
        <Text size="sm" c="dimmed" dir="ltr" ta="start" lang="en">
          {detail}
        </Text>
        {groups.map(
          ([kind, names]) =>
            names.length > 0 && (
              <div key={kind} data-problem={kind}>
                <Text size="sm" fw={600}>
                  {t(`upload.${kind}`)}
                </Text>
                <List size="sm">
                  {names.map((name) => (
                    <List.Item key={name}>
                      <bdi>{name}</bdi>
                    </List.Item>
                  ))}
                </List>
              </div>
            ),
        )}
        {columns.expected.length > 0 && (
          <Text size="sm" data-problem="expected">
            <Text span fw={600}>
              {t("upload.expected")}:{" "}
            </Text>
            {columns.expected.map((field, index) => (
              <span key={field.name}>
                {index > 0 && ", "}
                <bdi>{field.label}</bdi>
                {field.required && ` (${t("upload.required")})`}
              </span>
            ))}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function RefusedDocuments({ files }: { files: { filename: string; problem: string }[] }) {
  const { t } = useTranslation(NS);
  return (
    <Alert color="red" icon={<IconFileAlert size={18} />} title={t("upload.refusedTitle")} role="alert" data-testid="upload-refused">
      <List size="sm">
        {files.map((file, index) => (
          <List.Item key={index}>
            <bdi>{file.filename}</bdi>{" "}
            <Text span size="sm" c="dimmed" dir="ltr" lang="en">
              {file.problem}
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
