/**
 * /console/billing/runs: start a billing run for an ended period (optionally one tenant, optionally a
 * dry run that writes nothing), and the runs so far with what each made and why any tenant failed.
 * A run answers when it is done; its counts are its results.
 */
import "./i18n";
import { Alert, Badge, Button, Card, Checkbox, Group, List, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../components/PageHeader";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { formatDateTime, formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { useRuns, useStartRun } from "./invoiceQueries";

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export function Component() {
  const { t } = useTranslation(NS);
  return (
    <>
      <PageHeader title={t("runs.title")} />
      <Text c="dimmed" size="sm" mt={-8} mb="md">
        {t("runs.intro")}
      </Text>
      <Stack gap="md">
        <StartRun />
        <RunList />
      </Stack>
    </>
  );
}

function StartRun() {
  const { t } = useTranslation(NS);
  const start = useStartRun();
  const [period, setPeriod] = useState("");
  const [tenant, setTenant] = useState("");
  const [dryRun, setDryRun] = useState(false);
  const periodError = period !== "" && !PERIOD.test(period) ? t("runs.periodFormat") : null;
  const submit = () =>
    start.mutate({ period: period || null, tenant: tenant.trim() || null, dry_run: dryRun });
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-run-start">
      <Title order={3} size="h4" id="billing-run-start" mb="sm">
        {t("runs.start")}
      </Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t("runs.period")}
          description={t("runs.periodHint")}
          placeholder="2026-10"
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value.trim())}
          error={periodError}
          w={200}
        />
        <TextInput
          label={t("runs.tenant")}
          description={t("runs.tenantHint")}
          value={tenant}
          onChange={(e) => setTenant(e.currentTarget.value)}
          w={220}
        />
        <Checkbox label={t("runs.dryRun")} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} mb={8} />
        <Button onClick={submit} loading={start.isPending} disabled={periodError !== null}>
          {t("runs.run")}
        </Button>
      </Group>
      {start.isPending && (
        <Text size="sm" c="dimmed" mt="sm">
          {t("runs.running")}
        </Text>
      )}
      {start.error && (
        <Stack mt="sm">
          <ErrorAlert error={start.error} />
        </Stack>
      )}
      {start.data && (
        <Alert mt="sm" color={start.data.failed ? "orange" : "green"} data-testid="run-result">
          {t("runs.result", {
            period: start.data.period,
            created: start.data.created,
            recomputed: start.data.recomputed,
            failed: start.data.failed,
          })}
        </Alert>
      )}
    </Card>
  );
}

function RunList() {
  const { t, i18n } = useTranslation(NS);
  const runs = useRuns();
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-runs-list">
      <Title order={3} size="h4" id="billing-runs-list" mb="sm">
        {t("runs.list")}
      </Title>
      <QueryState query={runs} empty={(page) => !page.items.length} emptyText={t("runs.none")}>
        {(page) => (
          <Table.ScrollContainer minWidth={820} type="native">
            <Table verticalSpacing="xs" data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("runs.period")}</Table.Th>
                  <Table.Th>{t("runs.tenant")}</Table.Th>
                  <Table.Th>{t("runs.status")}</Table.Th>
                  <Table.Th>{t("runs.startedAt")}</Table.Th>
                  <Table.Th ta="end">{t("runs.created")}</Table.Th>
                  <Table.Th ta="end">{t("runs.recomputed")}</Table.Th>
                  <Table.Th ta="end">{t("runs.unchanged")}</Table.Th>
                  <Table.Th ta="end">{t("runs.skipped")}</Table.Th>
                  <Table.Th>{t("runs.failures")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((run) => (
                  <Table.Tr key={run.id} data-run={run.id}>
                    <Table.Td>
                      {run.period}{" "}
                      {run.dry_run && (
                        <Badge size="xs" variant="outline">
                          {t("runs.dryRunBadge")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{run.tenant ?? t("runs.allTenants")}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={{ running: "blue", finished: "green", failed: "red" }[run.status]}>
                        {t(`runs.statuses.${run.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(run.started_at, i18n.language)}</Table.Td>
                    <Table.Td ta="end">{number(run.created)}</Table.Td>
                    <Table.Td ta="end">{number(run.recomputed)}</Table.Td>
                    <Table.Td ta="end">{number(run.unchanged)}</Table.Td>
                    <Table.Td ta="end">{number(run.skipped)}</Table.Td>
                    <Table.Td>
                      {run.failures.length ? (
                        <List size="xs">
                          {run.failures.map((failure) => (
                            <List.Item key={failure.tenant}>
                              {failure.tenant}: {failure.reason}
                            </List.Item>
                          ))}
                        </List>
                      ) : (
                        number(run.failed)
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
