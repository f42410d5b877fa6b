/**
 * Import employees from a CSV or XLSX file. The API takes all rows or none: a refused file answers every
 * row's problems, shown here as a table (row, field, message) while the chosen file stays chosen, so the
 * person fixes the file and sends it again. The columns it knows are listed, with a template to start from.
 */
import "./i18n";
import { Alert, Anchor, Button, Code, FileInput, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { IconDownload, IconFileSpreadsheet, IconUpload } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/QueryState";
import { NS } from "./i18n";
import { importProblems, TEMPLATE_CSV, IMPORT_COLUMNS } from "./importFile";
import { type HrScope, useImportEmployees } from "./queries";

const ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function ImportModal({ scope, opened, onClose }: { scope: HrScope; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation(NS);
  return (
    <Modal opened={opened} onClose={onClose} title={t("import.title")} size="xl">
      {opened && <ImportBody scope={scope} onClose={onClose} />}
    </Modal>
  );
}

function ImportBody({ scope, onClose }: { scope: HrScope; onClose: () => void }) {
  const { t } = useTranslation(NS);
  const [file, setFile] = useState<File | null>(null);
  const upload = useImportEmployees(scope);
  const found = importProblems(upload.error);
  return (
    <Stack>
      <Text size="sm">{t("import.help")}</Text>
      <Text size="sm">
        {t("import.columns")}{" "}
        {IMPORT_COLUMNS.map((column, index) => (
          <span key={column.name}>
            {index > 0 && " · "}
            <Code fw={column.required ? 700 : undefined}>{column.name}</Code>
          </span>
        ))}
      </Text>
      <Text size="xs" c="dimmed">
        {t("import.columnsHelp")}
      </Text>
      <Anchor
        href={`data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE_CSV)}`}
        download="employees-template.csv"
        size="sm"
        data-testid="hr-import-template"
      >
        <Group gap={4} component="span">
          <IconDownload size={14} />
          {t("import.template")}
        </Group>
      </Anchor>
      <Group align="flex-end">
        <FileInput
          label={t("import.file")}
          placeholder={t("import.choose")}
          accept={ACCEPT}
          value={file}
          onChange={(chosen) => {
            setFile(chosen);
            upload.reset();
          }}
          leftSection={<IconFileSpreadsheet size={16} />}
          clearable
          w={320}
          data-testid="hr-import-file"
        />
        <Button
          leftSection={<IconUpload size={16} />}
          disabled={!file}
          loading={upload.isPending}
          onClick={() => file && upload.mutate(file)}
          data-testid="hr-import-upload"
        >
          {t("import.upload")}
        </Button>
      </Group>
      {upload.data && (
        <Alert color="teal" data-testid="hr-import-result">
          {t("import.done", upload.data)}
        </Alert>
      )}
      {upload.error && found.rows.length === 0 && <ErrorAlert error={upload.error} />}
      {found.rows.length > 0 && (
        <Stack gap="xs">
          <Alert color="red" role="alert" data-testid="hr-import-refused">
            {t("import.refused", { count: found.rows.length })}
          </Alert>
          <Table.ScrollContainer minWidth={480} mah={320}>
            <Table striped data-testid="hr-import-problems">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("import.row")}</Table.Th>
                  <Table.Th>{t("import.field")}</Table.Th>
                  <Table.Th>{t("import.message")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {found.rows.map((problem) => (
                  <Table.Tr key={`${problem.row}-${problem.field}`}>
                    <Table.Td>{problem.row}</Table.Td>
                    <Table.Td>
                      <Code>{problem.field}</Code>
                    </Table.Td>
                    <Table.Td>
                      <bdi>{problem.message}</bdi>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} data-testid="hr-import-close">
          {t("import.close")}
        </Button>
      </Group>
    </Stack>
  );
}
