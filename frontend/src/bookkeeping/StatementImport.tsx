/**
 * Importing a statement into a bank account (bookkeepers). A CSV file's header is read in the
 * browser so its columns can be mapped, the account's saved mapping preselected; OFX and CAMT.053
 * need no mapping. The answer says how many lines were added and how many were there already; a
 * file the server cannot read imports nothing, and its words (naming the row) are shown.
 */
import { Alert, Button, Card, FileInput, Group, Stack, Text, Title } from "@mantine/core";
import { IconCheck, IconFileUpload } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { BANK_NS } from "./bankI18n";
import { type BankAccount, type ImportResult, useImportStatement } from "./bankQueries";
import { ColumnMapping } from "./ColumnMapping";
import { type CsvMapping, draftFor, formatOf, headerOf, type MappingDraft, mappingProblem, savedFits, toMapping } from "./csvMapping";
import type { BooksScope } from "./queries";

const ACCEPT = ".csv,.txt,.ofx,.qfx,.xml";
const HEAD_BYTES = 64 * 1024;
const FORMAT_NAMES: Record<ImportResult["format"], string> = { csv: "CSV", ofx: "OFX", camt053: "CAMT.053" };

interface ReadFile {
  file: File;
  csv: boolean;
  format: ImportResult["format"];
  header: string[];
  fromSaved: boolean;
}

async function readHead(file: File, saved: CsvMapping | null): Promise<{ read: ReadFile; draft: MappingDraft }> {
  const head = await file.slice(0, HEAD_BYTES).text();
  const format = formatOf(file.name, head);
  const csv = format === "csv";
  const header = csv ? headerOf(head) : [];
  const fromSaved = Boolean(saved && savedFits(saved, header));
  return { read: { file, csv, format, header, fromSaved }, draft: draftFor(header, saved) };
}

export function StatementImport({ scope, account }: { scope: BooksScope; account: BankAccount }) {
  const { t, i18n } = useTranslation(BANK_NS);
  const upload = useImportStatement(scope, account.id);
  const [read, setRead] = useState<ReadFile | null>(null);
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  // The mapping last sent is the one the server saved, even before the account list is read again.
  const [lastSent, setLastSent] = useState<CsvMapping | null>(null);
  const problem = read?.csv && draft ? mappingProblem(draft) : null;

  async function choose(file: File | null) {
    upload.reset();
    setResult(null);
    setSubmitted(false);
    if (!file) {
      setRead(null);
      return;
    }
    const { read: readFile, draft: proposed } = await readHead(file, lastSent ?? account.csv_mapping ?? null);
    setRead(readFile);
    setDraft(proposed);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!read || problem || (read.csv && !read.header.length)) return;
    const mapping = read.csv && draft ? toMapping(draft) : null;
    upload.mutate(
      { file: read.file, mapping },
      {
        onSuccess: (answer) => {
          if (mapping) setLastSent(mapping);
          setResult(answer);
          setRead(null);
          setSubmitted(false);
        },
      },
    );
  }

  const number = (value: number) => formatNumber(value, i18n.language);
  const header = upload.error instanceof ApiError ? (upload.error.extra as { header?: string[] } | null)?.header : undefined;
  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-labelledby="bank-import-title" data-testid="bank-import-form">
      <Stack gap="sm">
        <Title order={3} id="bank-import-title">
          {t("import.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("import.hint")}
        </Text>
        <FileInput
          label={t("import.file")}
          placeholder={t("import.filePlaceholder")}
          accept={ACCEPT}
          value={read?.file ?? null}
          onChange={(file) => void choose(file)}
          leftSection={<IconFileUpload size={16} />}
          error={submitted && !read ? t("import.chooseFile") : undefined}
          w={360}
          maw="100%"
          clearable
        />
        {read && !read.csv && <Text size="sm">{t("import.notCsv", { format: FORMAT_NAMES[read.format] })}</Text>}
        {read?.csv && !read.header.length && <Alert color="red">{t("import.noHeader")}</Alert>}
        {read?.csv && draft && read.header.length > 0 && (
          <ColumnMapping header={read.header} draft={draft} onChange={setDraft} fromSaved={read.fromSaved} problem={submitted ? problem : null} />
        )}
        {upload.error && (
          <Stack gap={4} data-testid="bank-import-error">
            <Text fw={600} c="red" size="sm">
              {t("import.failed")}
            </Text>
            <ErrorAlert error={upload.error} />
            {header && (
              <Text size="sm" c="dimmed">
                {t("import.header", { columns: header.join(" · ") })}
              </Text>
            )}
          </Stack>
        )}
        {result && (
          <Alert color="teal" icon={<IconCheck size={18} />} data-testid="bank-import-result" data-new={result.new} data-known={result.known} role="status">
            {t("import.result", {
              format: FORMAT_NAMES[result.format],
              lines: number(result.lines),
              new: number(result.new),
              known: number(result.known),
            })}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={upload.isPending} leftSection={<IconFileUpload size={16} />}>
            {t("import.send")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
