/**
 * One batch: its file, status and import progress (watched while importing), its counts, its report
 * (records by status, rejected rows and why, keying accuracy and agreement per field, turnaround),
 * downloads of the accepted values (CSV, XLSX, JSON), and its records in row order with each
 * field's problem where it is (or only the records with problems).
 */
import "./i18n";
import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft, IconArrowRight, IconDownload } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { api, unwrap } from "../api/client";
import { ErrorAlert, QueryState } from "../components/QueryState";
import { StatCard } from "../components/StatCard";
import { formatMinutes, formatNumber } from "../lib/format";
import { formatShare } from "../lib/percent";
import { saveFile } from "../lib/saveFile";
import { AgreementTable } from "./AccuracyTables";
import { BatchStatusBadge, RecordStatusBadge } from "./Badges";
import { BatchProgress } from "./BatchProgress";
import { NS } from "./i18n";
import { type BatchDetail, useBatch, useBatchRecords, useBatchReport, useSchema } from "./queries";
import { RecordTable } from "./RecordTable";
import { fieldsOf, labelOf } from "./records";

const PAGE_SIZE = 25;

export function Component() {
  const { batchId = "" } = useParams();
  const batch = useBatch(batchId);
  return <QueryState query={batch}>{(detail) => <Batch batch={detail} />}</QueryState>;
}

function Batch({ batch }: { batch: BatchDetail }) {
  const { t, i18n } = useTranslation(NS);
  const Back = i18n.dir() === "rtl" ? IconArrowRight : IconArrowLeft;
  return (
    <Stack gap="md" data-testid="batch-detail" data-status={batch.status}>
      <Anchor component={Link} to="/portal/data-entry" size="sm">
        <Group gap={4} component="span">
          <Back size={14} />
          {t("batch.back")}
        </Group>
      </Anchor>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Title order={3}>
            <bdi>{batch.filename}</bdi>
          </Title>
          <Text size="sm" c="dimmed">
            <bdi>{batch.schema_code}</bdi> · {t("batch.file", { format: batch.file_format.toUpperCase(), size: formatBytes(batch.size_bytes, i18n.language) })}
          </Text>
        </Stack>
        <Group gap="sm">
          <BatchStatusBadge status={batch.status} />
          <BatchProgress batch={batch} />
        </Group>
      </Group>
      {batch.status === "failed" && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t("batch.failed")} role="alert">
          {batch.error}
        </Alert>
      )}
      <Counts batch={batch} />
      {batch.status !== "importing" && batch.status !== "failed" && <Report batch={batch} />}
      <Records batch={batch} />
    </Stack>
  );
}

function formatBytes(bytes: number, language: string): string {
  if (bytes < 1024) return `${formatNumber(bytes, language)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, language, 1)} KiB`;
  return `${formatNumber(bytes / (1024 * 1024), language, 1)} MiB`;
}

function Counts({ batch }: { batch: BatchDetail }) {
  const { t, i18n } = useTranslation(NS);
  const number = (value: number) => formatNumber(value, i18n.language);
  const figure = (value: string, testId: string) => (
    <Text fz={28} fw={700} data-testid={testId}>
      {value}
    </Text>
  );
  const { counts } = batch;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }}>
      <StatCard label={t("batch.records")} color="blue">
        {figure(number(counts.records), "count-records")}
      </StatCard>
      <StatCard label={t("batch.accepted")} color="teal">
        {figure(number(counts.accepted), "count-accepted")}
      </StatCard>
      <StatCard label={t("batch.withProblems")} color="orange">
        {figure(number(counts.with_problems), "count-problems")}
      </StatCard>
      <StatCard label={t("batch.chunks")} color="grape">
        {figure(t("batch.chunksOf", { done: number(counts.chunks_done), total: number(counts.chunks) }), "count-chunks")}
      </StatCard>
    </SimpleGrid>
  );
}

function Records({ batch }: { batch: BatchDetail }) {
  const { t } = useTranslation(NS);
  const paging = usePaging(PAGE_SIZE);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const schema = useSchema(batch.schema_id);
  const records = useBatchRecords(batch.id, paging.limit, paging.offset, onlyProblems, batch.status);
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={4}>{t("batch.records")}</Title>
        <Switch
          label={t("batch.onlyProblems")}
          checked={onlyProblems}
          onChange={(event) => {
            setOnlyProblems(event.currentTarget.checked);
            paging.setPage(1);
          }}
        />
      </Group>
      <QueryState
        query={records}
        empty={(page) => page.total === 0}
        emptyText={onlyProblems ? t("batch.noProblems") : t("batch.noRecords")}
      >
        {(page) => (
          <>
            <RecordTable records={page.items} fields={schema.data ? fieldsOf(schema.data) : []} />
            <Paging total={page.total} paging={paging} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

const EXPORT_FORMATS = ["csv", "xlsx", "json"] as const;

function Downloads({ batchId }: { batchId: string }) {
  const { t } = useTranslation(NS);
  const download = useMutation({
    mutationFn: async (format: (typeof EXPORT_FORMATS)[number]) => {
      const file = await unwrap(
        api.GET("/api/v1/data-entry/batches/{batch_id}/export", {
          params: { path: { batch_id: batchId }, query: { format } },
          parseAs: "blob",
        }),
      );
      saveFile(file as Blob, `data-entry-batch-${batchId}.${format}`); // the server's own name for it
    },
  });
  return (
    <Stack gap="xs">
      <Group gap="xs" data-testid="batch-downloads">
        {EXPORT_FORMATS.map((format) => (
          <Button
            key={format}
            variant="default"
            size="xs"
            leftSection={<IconDownload size={14} />}
            loading={download.isPending && download.variables === format}
            onClick={() => download.mutate(format)}
          >
            {t("report.download", { format: format.toUpperCase() })}
          </Button>
        ))}
      </Group>
      {download.error && <ErrorAlert error={download.error} />}
    </Stack>
  );
}

function Report({ batch }: { batch: BatchDetail }) {
  const { t, i18n } = useTranslation(NS);
  const report = useBatchReport(batch.id, batch.status);
  const schema = useSchema(batch.schema_id);
  const labels = new Map(schema.data ? fieldsOf(schema.data).map((field) => [field.name, labelOf(field)]) : []);
  const number = (value: number) => formatNumber(value, i18n.language);
  const share = (value: number | null | undefined) => formatShare(value, i18n.language);
  return (
    <Card withBorder data-testid="batch-report">
      <Group justify="space-between" wrap="wrap" mb="sm">
        <Title order={4}>{t("report.title")}</Title>
        <Downloads batchId={batch.id} />
      </Group>
      <QueryState query={report}>
        {(data) => {
          const { accuracy } = data;
          const doubleKey = accuracy.method === "double_key";
          const figures: [string, string][] = [
            ["accepted", number(data.accepted)],
            ["awaiting_second_key", number(data.awaiting_second_key)],
            ["in_adjudication", number(data.in_adjudication)],
            ["pending", number(data.pending)],
            ["rejected", number(data.rows_rejected)],
            ["turnaround", data.turnaround_seconds === null || data.turnaround_seconds === undefined ? "—" : formatMinutes(data.turnaround_seconds / 60, i18n.language)],
          ];
          return (
            <Stack gap="md">
              <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
                {figures.map(([key, value]) => (
                  <Stack key={key} gap={0}>
                    <Text size="xs" c="dimmed">{t(`report.${key}`)}</Text>
                    <Text fw={700} data-testid={`report-${key}`}>{value}</Text>
                  </Stack>
                ))}
              </SimpleGrid>
              <Stack gap={4}>
                <Title order={5}>{t(doubleKey ? "report.doubleKey" : "report.qaSampling")}</Title>
                {doubleKey ? (
                  <Text size="sm" data-testid="report-accuracy">
                    {t("report.accuracyLine", {
                      accuracy: share(accuracy.accuracy),
                      differing: number(accuracy.fields_differing),
                      keyed: number(accuracy.fields_keyed),
                      agreement: share(accuracy.agreement),
                    })}
                  </Text>
                ) : (
                  <Text size="sm" data-testid="report-accuracy">
                    {t("report.qaLine", { reviewed: number(accuracy.chunks_reviewed), sentBack: number(accuracy.chunks_sent_back) })}
                  </Text>
                )}
              </Stack>
              {doubleKey && (
                <AgreementTable
                  testId="report-fields"
                  rows={accuracy.fields.map((field) => ({ key: field.field, name: labels.get(field.field) ?? field.field, ...field }))}
                />
              )}
              {data.rejected_rows.length > 0 && (
                <Stack gap={4}>
                  <Title order={5}>{t("report.rejectedRows")}</Title>
                  <Table striped data-testid="report-rejected">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("batch.row")}</Table.Th>
                        <Table.Th>{t("batch.problems")}</Table.Th>
                        <Table.Th>{t("batch.status")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.rejected_rows.map((row) => (
                        <Table.Tr key={row.row_number} data-row={row.row_number}>
                          <Table.Td>{number(row.row_number)}</Table.Td>
                          <Table.Td>
                            {Object.entries(row.problems).map(([field, problem]) => (
                              <Text key={field} size="xs" dir="ltr" ta="start" lang="en">
                                <bdi>{field}</bdi>: {problem}
                              </Text>
                            ))}
                          </Table.Td>
                          <Table.Td>
                            <RecordStatusBadge status={row.status} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  {data.rows_rejected > data.rejected_rows.length && (
                    <Text size="xs" c="dimmed">
                      {t("report.moreRejected", { shown: number(data.rejected_rows.length), total: number(data.rows_rejected) })}
                    </Text>
                  )}
                </Stack>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Card>
  );
}
