/**
 * One record in adjudication: the schema's fields with both blind passes side by side, the fields
 * they differ on highlighted, each with a field for the value to accept. Keyboard-first like the
 * keying form: the first differing field has the focus; Alt+1 / Alt+2 take the first / second
 * pass's value, Enter goes to the next differing field and, at the last, sends the values (POST
 * .../adjudicate); then the next record waiting opens. A person who keyed the record is refused by
 * the API (403), and told so here. A record keyed from a document shows it beside the values.
 */
import "./i18n";
import { Alert, Anchor, Button, Grid, Group, Stack, Table, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconGavel } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { api, ApiError, forTenant, unwrap } from "../api/client";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { DocumentPane } from "./DocumentPane";
import { NS } from "./i18n";
import { type Adjudication, adjudicationKey, type BatchDetail, type DataRecord, useAdjudication } from "./queries";
import { adjudicationRows, labelOf, savedProblems, unsettled } from "./records";
import { comboOf, loadBindings } from "./shortcuts";
import type { FieldDefinition } from "./validation";

const PICK: Record<string, "first" | "second"> = { "Alt+1": "first", "Alt+2": "second" };

export function Component() {
  const { t } = useTranslation(NS);
  const { recordId = "" } = useParams();
  const adjudication = useAdjudication(recordId);
  const back = (
    <Anchor component={Link} to="/console/data-entry/adjudication" size="sm">
      {t("adjudication.back")}
    </Anchor>
  );
  if (adjudication.error instanceof ApiError && (adjudication.error.status === 403 || adjudication.error.status === 409)) {
    const keyer = adjudication.error.status === 403;
    return (
      <Stack gap="sm">
        {back}
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t(keyer ? "adjudication.keyerTitle" : "adjudication.settledTitle")} role="alert" data-testid="adjudication-refused">
          {t(keyer ? "adjudication.keyer" : "adjudication.settled")}
        </Alert>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      {back}
      <QueryState query={adjudication}>
        {(data) => <Decide key={recordId} record={data.record} batch={data.batch} fields={data.fields} passes={data.passes} />}
      </QueryState>
    </Stack>
  );
}

interface DecideProps {
  record: DataRecord;
  batch: BatchDetail;
  fields: FieldDefinition[];
  passes: Adjudication;
}

function Decide({ record, batch, fields, passes }: DecideProps) {
  const { t, i18n } = useTranslation(NS);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const rows = useMemo(() => adjudicationRows(fields, passes), [fields, passes]);
  const differing = rows.filter((row) => row.differs);
  const [chosen, setChosen] = useState<Record<string, string | undefined>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const bindings = useMemo(() => loadBindings(localStorage), []);
  const row = formatNumber(record.row_number, i18n.language);

  useEffect(() => inputs.current[0]?.focus(), []);

  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/data-entry/records/{record_id}/adjudicate", {
          params: { path: { record_id: record.id } },
          body: { values: chosen },
          ...forTenant(record.tenant_id),
        }),
      ),
    onSuccess: async () => {
      notifications.show({ color: "teal", message: t("adjudication.accepted", { row }), autoClose: 2000 });
      // The list only: this record's own adjudication is gone (asked again, it would answer 409).
      await queryClient.invalidateQueries({ queryKey: [...adjudicationKey, "list"] });
      // On to the next record waiting, if there is one.
      const waiting = await unwrap(
        api.GET("/api/v1/data-entry/records", { params: { query: { status: "in_adjudication", limit: 2 } } }),
      );
      const next = waiting.items.find((each) => each.id !== record.id);
      navigate(next ? `/console/data-entry/adjudication/${next.id}` : "/console/data-entry/adjudication");
    },
    onError: (error) => setProblems(savedProblems(error) ?? {}),
  });

  function pick(name: string, value: string) {
    setChosen((current) => ({ ...current, [name]: value }));
    setProblems(({ [name]: _dropped, ...rest }) => rest);
  }

  function send() {
    const missing = unsettled(rows, chosen);
    if (missing.length) {
      setProblems(Object.fromEntries(missing.map((name) => [name, t("adjudication.choose")])));
      inputs.current[differing.findIndex((each) => each.field.name === missing[0])]?.focus();
      return;
    }
    submit.mutate();
  }

  function keyDown(event: KeyboardEvent<HTMLInputElement>, position: number) {
    const combo = comboOf(event);
    const name = differing[position].field.name;
    if (combo && PICK[combo]) {
      event.preventDefault();
      pick(name, differing[position][PICK[combo]]);
    } else if (combo === bindings.saveRecord) {
      event.preventDefault();
      send();
    } else if (combo === "Enter") {
      event.preventDefault();
      if (position + 1 < differing.length) inputs.current[position + 1]?.focus();
      else send();
    }
  }

  const values = (
    <Stack gap="sm">
      <Table verticalSpacing="xs" data-testid="adjudication" data-record={record.id} withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("adjudication.field")}</Table.Th>
            <Table.Th>{t("adjudication.first")}</Table.Th>
            <Table.Th>{t("adjudication.second")}</Table.Th>
            <Table.Th miw={200}>{t("adjudication.value")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((each) => {
            const name = each.field.name;
            const position = differing.indexOf(each);
            const passCell = (which: "first" | "second") =>
              each.differs ? (
                <UnstyledButton onClick={() => pick(name, each[which])} data-pass={which} aria-label={t(`adjudication.use.${which}`, { value: each[which] })}>
                  <Text size="sm" dir="auto" fw={chosen[name] === each[which] ? 700 : undefined} td={chosen[name] === each[which] ? "underline" : undefined}>
                    {each[which] || <Text span c="dimmed">{t("adjudication.empty")}</Text>}
                  </Text>
                </UnstyledButton>
              ) : (
                <Text size="sm" dir="auto" c="dimmed">
                  {each[which]}
                </Text>
              );
            return (
              <Table.Tr key={name} data-field={name} data-differs={each.differs || undefined} bg={each.differs ? "var(--mantine-color-orange-light)" : undefined}>
                <Table.Td>
                  <bdi>{labelOf(each.field)}</bdi>
                </Table.Td>
                <Table.Td>{passCell("first")}</Table.Td>
                <Table.Td>{passCell("second")}</Table.Td>
                <Table.Td>
                  {each.differs ? (
                    <TextInput
                      ref={(element) => {
                        inputs.current[position] = element;
                      }}
                      aria-label={t("adjudication.valueOf", { field: labelOf(each.field) })}
                      value={chosen[name] ?? ""}
                      placeholder={t("adjudication.placeholder")}
                      onChange={(event) => pick(name, event.currentTarget.value)}
                      onKeyDown={(event) => keyDown(event, position)}
                      error={problems[name]}
                      disabled={submit.isPending}
                      dir="auto"
                      autoComplete="off"
                      spellCheck={false}
                      data-field={name}
                    />
                  ) : (
                    <Text size="sm" dir="auto">
                      {each.first}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {submit.error && !savedProblems(submit.error) && <ErrorAlert error={submit.error} />}
      <Group justify="space-between" wrap="wrap">
        <Text size="xs" c="dimmed">
          {t("adjudication.keys")}
        </Text>
        <Button leftSection={<IconGavel size={16} />} onClick={send} loading={submit.isPending} data-testid="adjudicate">
          {t("adjudication.submit")}
        </Button>
      </Group>
    </Stack>
  );

  return (
    <Stack gap="md">
      <Stack gap={0}>
        <Title order={2}>{t("adjudication.recordTitle", { row })}</Title>
        <Text size="sm" c="dimmed">
          <bdi>{batch.filename}</bdi> · <bdi>{batch.schema_code}</bdi> · {t("adjudication.differing", { n: formatNumber(differing.length, i18n.language) })}
        </Text>
      </Stack>
      {record.document ? (
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>{values}</Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <DocumentPane document={record.document} tenantId={record.tenant_id} bindings={bindings} />
          </Grid.Col>
        </Grid>
      ) : (
        values
      )}
    </Stack>
  );
}
