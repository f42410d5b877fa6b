/** The column mapping of a CSV statement: a header column per field, the amount mode and the date and number styles. */
import { Alert, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { BANK_NS } from "./bankI18n";
import { type AmountMode, DATE_FORMATS, type MappedField, type MappingDraft, type MappingProblem, TEXT_FIELDS } from "./csvMapping";

interface Props {
  header: string[];
  draft: MappingDraft;
  onChange: (draft: MappingDraft) => void;
  fromSaved: boolean;
  problem: MappingProblem | null;
}

export function ColumnMapping({ header, draft, onChange, fromSaved, problem }: Props) {
  const { t } = useTranslation(BANK_NS);
  const columns = [{ value: "", label: t("import.none") }, ...header.map((name) => ({ value: name, label: name }))];
  const amountFields: MappedField[] = draft.mode === "amount" ? ["amount"] : ["debit", "credit"];
  const field = (name: MappedField) => (
    <Select
      key={name}
      label={t(`import.field.${name}`)}
      data={name === "date" || amountFields.includes(name) ? columns.slice(1) : columns}
      value={draft.columns[name]}
      onChange={(value) => onChange({ ...draft, columns: { ...draft.columns, [name]: value ?? "" } })}
      allowDeselect={false}
      required={name === "date" || amountFields.includes(name)}
      data-testid={`bank-map-${name}`}
    />
  );
  return (
    <Stack gap="sm" data-testid="bank-mapping" data-from-saved={fromSaved}>
      <Title order={4}>{t("import.mapping")}</Title>
      <Text size="sm" c="dimmed">
        {fromSaved ? t("import.savedMapping") : t("import.guessedMapping")}
      </Text>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t("import.amountMode")}
          </Text>
          <SegmentedControl
            value={draft.mode}
            onChange={(mode) => onChange({ ...draft, mode: mode as AmountMode })}
            data={[
              { value: "amount", label: t("import.modeAmount") },
              { value: "debitCredit", label: t("import.modeDebitCredit") },
            ]}
          />
        </Stack>
        <Select
          label={t("import.dateFormat")}
          data={DATE_FORMATS.map((format) => ({ value: format, label: format }))}
          value={draft.dateFormat}
          onChange={(value) => value && onChange({ ...draft, dateFormat: value })}
          allowDeselect={false}
          w={160}
          dir="ltr"
        />
        <Select
          label={t("import.decimalSeparator")}
          data={[
            { value: ".", label: t("import.point") },
            { value: ",", label: t("import.comma") },
          ]}
          value={draft.decimalSeparator}
          onChange={(value) => value && onChange({ ...draft, decimalSeparator: value as "." | "," })}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        {field("date")}
        {amountFields.map(field)}
        {TEXT_FIELDS.map(field)}
      </SimpleGrid>
      {problem && (
        <Alert color="red" role="alert">
          {t(`import.problem.${problem}`)}
        </Alert>
      )}
    </Stack>
  );
}
