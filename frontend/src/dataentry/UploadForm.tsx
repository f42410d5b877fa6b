/**
 * Send a file of rows for a record schema. A header that does not fit the schema is refused whole
 * (422): the columns it does not know, the required ones it lacks, and what the schema expects.
 */
import { Alert, Button, Card, FileInput, Group, List, Select, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconFileUpload, IconTableOptions } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { NS } from "./i18n";
import { dataEntryKey, useSchemas } from "./queries";
import { type ColumnProblems, columnProblems } from "./records";
import { sendBatch } from "./upload";

const ACCEPT = ".csv,.tsv,.txt,.xlsx";

export function UploadForm() {
  const { t } = useTranslation(NS);
  const schemas = useSchemas();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [schema, setSchema] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const send = useMutation({
    mutationFn: ({ code, chosen }: { code: string; chosen: File }) => sendBatch(code, chosen),
    onSuccess: async ({ batch, made }) => {
      notifications.show({ color: "teal", message: t(made ? "upload.sent" : "upload.again", { filename: batch.filename }) });
      await queryClient.invalidateQueries({ queryKey: dataEntryKey(null) });
      navigate(`/portal/data-entry/batches/${batch.id}`);
    },
  });
  const options = (schemas.data?.items ?? []).map((item) => ({ value: item.code, label: `${item.name} (${item.code})` }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (schema && file) send.mutate({ code: schema, chosen: file });
  }

  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-labelledby="upload-title" data-testid="upload-form">
      <Stack gap="sm">
        <Title order={3} id="upload-title">
          {t("upload.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("upload.intro")}
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
        </Group>
        <UploadProblems error={send.error} />
        <Group>
          <Button type="submit" loading={send.isPending} leftSection={<IconFileUpload size={18} />}>
            {t("upload.submit")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function UploadProblems({ error }: { error: unknown }) {
  if (!error) return null;
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
