/**
 * /console/billing/runs: start a billing run for an ended period (optionally one tenant, optionally a
 * dry run that writes nothing), and the runs so far with what each made and why any tenant failed.
 * Starting a run answers at once; a worker bills the tenants chunk by chunk, and the page follows the
 * run's progress bar until it has finished, then shows its results.
 */
import "./i18n";
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../components/PageHeader";
import { ErrorAlert, QueryState } from "../components/QueryState";
import type { Schemas } from "../api/client";
import { formatDateTime, formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { useRun, useRuns, useStartRun } from "./invoiceQueries";

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

type Run = Schemas["BillingRunOut"];

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
  const [runId, setRunId] = useState<string | null>(null);
  const periodError = period !== "" && !PERIOD.test(period) ? t("runs.periodFormat") : null;
  const submit = () =>
    start.mutate(
      { period: period || null, tenant: tenant.trim() || null, dry_run: dryRun },
      { onSuccess: (run) => setRunId(run.id) },
    );
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
      {start.error && (
        <Stack mt="sm">
          <ErrorAlert error={start.error} />
        </Stack>
      )}
      {runId && <RunProgress key={runId} runId={runId} />}
    </Card>
  );
}

/** The run just started: a progress bar while a worker bills its tenants, then what it did. */
function RunProgress({ runId }: { runId: string }) {
  const { t, i18n } = useTranslation(NS);
  const queryClient = useQueryClient();
  const query = useRun(runId);
  const status = query.data?.status;
  // Once it has finished, the runs list and every invoice list show what it made.
  useEffect(() => {
    if (status && status !== "running") void queryClient.invalidateQueries({ queryKey: ["billing"] });
  }, [status, queryClient]);
  if (!query.data) return query.error ? <ErrorAlert error={query.error} /> : null;
  const run = query.data;
  const running = run.status === "running";
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Stack gap="xs" mt="md" data-testid="run-progress" data-status={run.status}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {running ? `${t("runs.running")} ${t("runs.started")}` : t(`runs.statuses.${run.status}`)}
        </Text>
        <Text size="sm" data-testid="run-progress-count">
          {t("runs.progress", { done: number(run.tenants_done), total: number(run.tenants_total) })}
        </Text>
      </Group>
      <RunBar run={run} size="lg" />
      {!running && <RunResult run={run} />}
    </Stack>
  );
}

function RunBar({ run, size }: { run: Run; size: "sm" | "lg" }) {
  const { t } = useTranslation(NS);
  const running = run.status === "running";
  const share = run.tenants_total ? Math.round((run.tenants_done / run.tenants_total) * 100) : running ? 0 : 100;
  return (
    <Progress
      value={share}
      size={size}
      striped={running}
      animated={running && size === "lg"}
      color={{ running: "blue", finished: run.failed ? "orange" : "green", failed: "red" }[run.status]}
      aria-label={t("runs.progressLabel")}
    />
  );
}

function RunResult({ run }: { run: Run }) {
  const { t, i18n } = useTranslation(NS);
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Alert color={run.error ? "red" : run.failed ? "orange" : "green"} data-testid="run-result">
      <Text size="sm">
        {t("runs.result", {
          period: run.period,
          created: number(run.created),
          recomputed: number(run.recomputed),
          unchanged: number(run.unchanged),
          skipped: number(run.skipped),
          failed: number(run.failed),
        })}
      </Text>
      {run.error && (
        <Text size="sm" mt="xs" data-testid="run-error">
          {t("runs.stopped", { error: run.error })}
        </Text>
      )}
      {run.failures.length > 0 && (
        <>
          <Text size="sm" fw={600} mt="xs">
            {t("runs.failedTenants")}
          </Text>
          <List size="sm" data-testid="run-failures">
            {run.failures.map((failure) => (
              <List.Item key={failure.tenant}>
                {failure.tenant}: {failure.reason}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Alert>
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
          <Table.ScrollContainer minWidth={1080} type="native">
            <Table verticalSpacing="xs" data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("runs.period")}</Table.Th>
                  <Table.Th>{t("runs.tenant")}</Table.Th>
                  <Table.Th miw={120}>{t("runs.status")}</Table.Th>
                  <Table.Th>{t("runs.startedAt")}</Table.Th>
                  <Table.Th miw={120}>{t("runs.tenants")}</Table.Th>
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
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      {run.period}{" "}
                      {run.dry_run && (
                        <Badge size="xs" variant="outline">
                          {t("runs.dryRunBadge")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{run.tenant ?? t("runs.allTenants")}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <Badge variant="light" color={{ running: "blue", finished: "green", failed: "red" }[run.status]}>
                        {t(`runs.statuses.${run.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDateTime(run.started_at, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" data-testid="run-row-progress">
                        {number(run.tenants_done)} / {number(run.tenants_total)}
                      </Text>
                      {run.status === "running" && <RunBar run={run} size="sm" />}
                    </Table.Td>
                    <Table.Td ta="end">{number(run.created)}</Table.Td>
                    <Table.Td ta="end">{number(run.recomputed)}</Table.Td>
                    <Table.Td ta="end">{number(run.unchanged)}</Table.Td>
                    <Table.Td ta="end">{number(run.skipped)}</Table.Td>
                    <Table.Td>
                      {run.error && (
                        <Text size="xs" c="red">
                          {run.error}
                        </Text>
                      )}
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
