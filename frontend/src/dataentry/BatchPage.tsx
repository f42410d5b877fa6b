/**
 * One batch: its file, status and import progress (watched while importing), its counts, and its
 * records in row order with each field's problem where it is (or only the records with problems).
 */
import "./i18n";
import { Alert, Anchor, Group, SimpleGrid, Stack, Switch, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft, IconArrowRight } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { Paging } from "../admin/Paging";
import { usePaging } from "../admin/usePaging";
import { api, unwrap } from "../api/client";
import { QueryState } from "../components/QueryState";
import { StatCard } from "../components/StatCard";
import { formatNumber } from "../lib/format";
import { BatchStatusBadge } from "./Badges";
import { BatchProgress } from "./BatchProgress";
import { NS } from "./i18n";
import { type BatchDetail, dataEntryKey, useBatch, useBatchRecords } from "./queries";
import { RecordTable } from "./RecordTable";
import { fieldsOf } from "./records";

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
  const schema = useQuery({
    queryKey: [...dataEntryKey(null), "schema", batch.schema_id],
    queryFn: () => unwrap(api.GET("/api/v1/data-entry/schemas/{schema_id}", { params: { path: { schema_id: batch.schema_id } } })),
    staleTime: Infinity, // a schema version never changes
  });
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
