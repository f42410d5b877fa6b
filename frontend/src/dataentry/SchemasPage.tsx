/** The tenant's record schemas (each code's current version), with each field's type and rules; read only. */
import "./i18n";
import { Badge, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { QueryState } from "../components/QueryState";
import { NS } from "./i18n";
import { type RecordSchema, useSchemas } from "./queries";
import { fieldsOf } from "./records";
import type { FieldDefinition } from "./validation";

export function Component() {
  const { t } = useTranslation(NS);
  const schemas = useSchemas();
  return (
    <Stack gap="md">
      <Title order={3}>{t("schemas.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("schemas.intro")}
      </Text>
      <QueryState query={schemas} empty={(page) => page.total === 0} emptyText={t("schemas.empty")}>
        {(page) => page.items.map((schema) => <SchemaCard key={schema.id} schema={schema} />)}
      </QueryState>
    </Stack>
  );
}

function SchemaCard({ schema }: { schema: RecordSchema }) {
  const { t } = useTranslation(NS);
  return (
    <Card withBorder padding="md" data-testid="schema-card" data-code={schema.code}>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Stack gap={0}>
          <Title order={4}>
            <bdi>{schema.name}</bdi>
          </Title>
          <Text size="sm" c="dimmed" dir="ltr" ta="start">
            {schema.code}
          </Text>
        </Stack>
        <Group gap="xs">
          <Badge variant="light">{t("schemas.version", { version: schema.version })}</Badge>
          <Badge variant="outline">{t("schemas.chunkSize", { count: schema.chunk_size })}</Badge>
          {schema.double_key && <Badge color="grape">{t("schemas.doubleKey")}</Badge>}
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={640} type="native">
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("schemas.field")}</Table.Th>
              <Table.Th>{t("schemas.label")}</Table.Th>
              <Table.Th>{t("schemas.type")}</Table.Th>
              <Table.Th>{t("schemas.rules")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fieldsOf(schema).map((field) => (
              <Table.Tr key={field.name}>
                <Table.Td dir="ltr" ta="start">
                  {field.name}
                </Table.Td>
                <Table.Td>
                  <bdi>{field.label ?? ""}</bdi>
                </Table.Td>
                <Table.Td>{t(`types.${field.type}`)}</Table.Td>
                <Table.Td>
                  <Rules field={field} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function Rules({ field }: { field: FieldDefinition }) {
  const { t } = useTranslation(NS);
  const rules: string[] = [];
  if (field.required) rules.push(t("schemas.required"));
  if (field.unique) rules.push(t("schemas.unique"));
  for (const rule of ["min", "max", "length", "pattern", "country"] as const) {
    const value = field[rule];
    if (value !== null && value !== undefined) rules.push(t(`schemas.${rule}`, { value: String(value) }));
  }
  if (field.choices?.length) rules.push(t("schemas.choices", { value: field.choices.join(", ") }));
  return <Text size="sm">{rules.join(" · ") || "—"}</Text>;
}
