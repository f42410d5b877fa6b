/**
 * The keying workspace for a chunk's work item (the desk's workspace route, dataentry/domain.py):
 * one record at a time, by keyboard alone. Enter goes to the next field and, at the last, saves the
 * record (PUT) and opens the next record not accepted; keying resumes at the first record not
 * accepted. Typed values are checked as typed with the server's rules and kept as a draft in this
 * browser; leaving a changed record saves it when it passes. Shortcuts are listed and re-bindable.
 *
 * A double-keyed schema's records are keyed blind (chunk.ts): the form shows the keyer's own pass,
 * never the other's; once both passes are in the record is closed to its keyers, and each record's
 * status (awaiting the second key, in adjudication, accepted) shows in the chunk's list.
 */
import "./i18n";
import { Alert, Anchor, Badge, Center, Grid, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCircleCheck, IconEyeOff, IconInfoCircle } from "@tabler/icons-react";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, forTenant, unwrap } from "../api/client";
import { ErrorAlert } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { RecordStatusBadge } from "./Badges";
import { useMe } from "../auth/session";
import { draftId, firstPending, keyable, nextPending, startingValues } from "./chunk";
import { DocumentPane } from "./DocumentPane";
import { dropDraft, loadDraft, saveDraft } from "./drafts";
import { NS } from "./i18n";
import { type Chunk, type DataRecord, useChunk } from "./queries";
import { RecordForm } from "./RecordForm";
import { formValues, savedProblems } from "./records";
import { type Action, actionFor, type Bindings, comboOf, loadBindings, saveBindings } from "./shortcuts";
import { ShortcutsPanel } from "./ShortcutsPanel";
import { checkRecord } from "./validation";

const OPEN_FOR_KEYING = new Set(["ready", "in_progress"]);

export function Component() {
  const { t } = useTranslation(NS);
  const { itemId = "" } = useParams();
  const { item, chunk } = useChunk(itemId);
  const error = item.error ?? chunk.error;
  if (error) return <ErrorAlert error={error} onRetry={() => void (item.error ? item.refetch() : chunk.refetch())} />;
  if (item.isPending || chunk.isPending) {
    return (
      <Center py="xl" aria-busy="true">
        <Loader size="sm" aria-label={t("keying.loading")} />
      </Center>
    );
  }
  if (!chunk.data) {
    return (
      <Alert color="gray" icon={<IconInfoCircle size={18} />} data-testid="keying-no-chunk">
        {t("keying.notAChunk")}{" "}
        <Anchor component={Link} to={`/console/items/${itemId}`}>
          {t("keying.item")}
        </Anchor>
      </Alert>
    );
  }
  return <Keying chunk={chunk.data} itemId={itemId} />;
}

function Keying({ chunk, itemId }: { chunk: Chunk; itemId: string }) {
  const { t, i18n } = useTranslation(NS);
  const { fields } = chunk;
  const doubleKey = chunk.schema.double_key;
  const me = useMe();
  const draftOf = (recordId: string) => draftId(me.id, recordId);
  const startOf = (each: DataRecord) => formValues(fields, startingValues(each, doubleKey));
  const [records, setRecords] = useState<DataRecord[]>(chunk.records);
  const [index, setIndex] = useState(() => Math.max(0, firstPending(chunk.records)));
  const record = records[index];
  const [values, setValues] = useState<Record<string, string>>(() => loadDraft(draftOf(record.id)) ?? startOf(record));
  const [shown, setShown] = useState<Set<string>>(new Set());
  const [serverProblems, setServerProblems] = useState<Record<string, string>>(record.problems);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [bindings, setBindings] = useState<Bindings>(() => loadBindings(localStorage));
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const problems = useMemo(() => checkRecord(fields, values), [fields, values]);
  const dirty = JSON.stringify(values) !== JSON.stringify(startOf(record));
  const batchOpen = OPEN_FOR_KEYING.has(chunk.batch.status);
  const open = batchOpen && keyable(record, doubleKey);
  const accepted = records.filter((each) => each.status === "accepted").length;
  const number = (value: number) => formatNumber(value, i18n.language);

  function show(target: number, list: DataRecord[] = records) {
    const next = list[target];
    setIndex(target);
    setValues(loadDraft(draftOf(next.id)) ?? startOf(next));
    setServerProblems(next.problems);
    setShown(new Set());
    setFailure(null);
  }

  // A new record starts at its first field with a problem (the one to correct), else its first field.
  useEffect(() => {
    const first = fields.findIndex((field) => record.problems[field.name]);
    inputs.current[Math.max(0, first)]?.focus();
    inputs.current[Math.max(0, first)]?.select();
  }, [record.id, fields, record.problems]);

  function change(name: string, value: string) {
    const next = { ...values, [name]: value };
    setValues(next);
    saveDraft(draftOf(record.id), next);
    setServerProblems(({ [name]: _dropped, ...rest }) => rest);
  }

  /** Save the record as typed; the chunk's records with the saved one, or null when it was refused. */
  async function save(): Promise<DataRecord[] | null> {
    if (Object.keys(problems).length) {
      setShown(new Set(fields.map((field) => field.name)));
      const first = fields.findIndex((field) => problems[field.name]);
      inputs.current[first]?.focus();
      return null;
    }
    setSaving(true);
    setFailure(null);
    try {
      const saved = await unwrap(
        api.PUT("/api/v1/data-entry/records/{record_id}", {
          params: { path: { record_id: record.id } },
          body: { values },
          ...forTenant(chunk.tenantId),
        }),
      );
      dropDraft(draftOf(record.id));
      const updated = records.map((each) => (each.id === saved.id ? saved : each));
      setRecords(updated);
      notifications.show({ color: "teal", message: t("keying.saved", { row: number(saved.row_number) }), autoClose: 1500 });
      return updated;
    } catch (error) {
      const byField = savedProblems(error);
      if (byField) setServerProblems(byField);
      setFailure(byField ? null : error);
      const first = fields.findIndex((field) => byField?.[field.name]);
      inputs.current[Math.max(0, first)]?.focus();
      return null;
    } finally {
      setSaving(false);
    }
  }

  /** Save, then on to the next record not accepted (staying, with the record shown saved, when none is left). */
  async function saveAndNext() {
    const updated = await save();
    if (!updated) return;
    const next = nextPending(updated, index);
    show(next === -1 ? index : next, updated);
  }

  /** Leave the record for another; a changed record that passes is saved first, else its draft stays. */
  async function leave(target: number) {
    if (target < 0 || target >= records.length || target === index) return;
    let list = records;
    if (dirty && !Object.keys(problems).length && open) {
      const updated = await save();
      if (!updated) return;
      list = updated;
    }
    show(target, list);
  }

  function run(action: Action, fieldIndex: number) {
    switch (action) {
      case "saveRecord":
        return void saveAndNext();
      case "nextRecord":
        return void leave(index + 1);
      case "previousRecord":
        return void leave(index - 1);
      case "previousField":
        return inputs.current[Math.max(0, fieldIndex - 1)]?.focus();
      case "firstPending":
        return void leave(firstPending(records));
      case "revert":
        dropDraft(draftOf(record.id));
        setValues(startOf(record));
        setShown(new Set());
        return;
    }
  }

  function keyDown(event: KeyboardEvent<HTMLInputElement>, fieldIndex: number) {
    const combo = comboOf(event);
    const action = actionFor(combo, bindings);
    if (action) {
      event.preventDefault();
      run(action, fieldIndex);
      return;
    }
    if (combo === "Enter") {
      event.preventDefault();
      setShown((current) => new Set(current).add(fields[fieldIndex].name));
      if (fieldIndex + 1 < fields.length) inputs.current[fieldIndex + 1]?.focus();
      else if (open) void saveAndNext();
      else void leave(index + 1 < records.length ? index + 1 : 0); // nothing to save here: on to the next
    }
  }

  const rebind = (next: Bindings) => {
    saveBindings(localStorage, next);
    setBindings(next);
  };
  const done = firstPending(records) === -1;

  return (
    <Stack gap="md" data-testid="keying" data-record={record.id} data-row={record.row_number}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={0}>
          <Title order={2}>{t("keying.title", { number: number(chunk.number), count: number(chunk.count) })}</Title>
          <Text size="sm" c="dimmed">
            <bdi>{chunk.schema.name}</bdi> · <bdi>{chunk.batch.filename}</bdi> ·{" "}
            <Anchor component={Link} to={`/console/items/${itemId}`} size="sm">
              {t("keying.item")}
            </Anchor>
          </Text>
        </Stack>
        <Badge size="lg" variant="light" color={done ? "teal" : "blue"} data-testid="keying-progress">
          {t("keying.progress", { accepted: number(accepted), total: number(records.length) })}
        </Badge>
      </Group>
      {!batchOpen && <Alert color="gray">{t("keying.closed", { status: t(`status.${chunk.batch.status}`) })}</Alert>}
      {doubleKey && (
        <Alert color="blue" icon={<IconEyeOff size={18} />} data-testid="keying-blind">
          {t("keying.blind")}
        </Alert>
      )}
      {done && (
        <Alert color="teal" icon={<IconCircleCheck size={18} />} data-testid="keying-done" role="status">
          {t(doubleKey && accepted < records.length ? "keying.allKeyedBlind" : "keying.allAccepted")}
        </Alert>
      )}
      <Grid>
        {record.document && (
          <Grid.Col span={{ base: 12, md: 6 }}>
            <DocumentPane document={record.document} tenantId={chunk.tenantId} bindings={bindings} />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: record.document ? 6 : 8 }}>
          <Stack gap="sm">
            <Group justify="space-between">
              <Text fw={600} data-testid="keying-record">
                {t("keying.record", { row: number(record.row_number), index: number(index + 1), total: number(records.length) })}
              </Text>
              <Group gap="xs">
                {saving && <Text size="sm" c="dimmed">{t("keying.saving")}</Text>}
                {dirty && !saving && <Text size="xs" c="dimmed">{t("keying.draft")}</Text>}
                <RecordStatusBadge status={record.status} />
              </Group>
            </Group>
            {Object.keys(serverProblems).length > 0 && !dirty && record.status !== "accepted" && (
              <Text size="sm" c="orange">{t("keying.serverProblem")}</Text>
            )}
            {doubleKey && record.status !== "pending" && (
              <Text size="sm" c="dimmed" data-testid="keying-pass-note">
                {t(`keying.passNote.${record.status}`)}
              </Text>
            )}
            {failure !== null && <ErrorAlert error={failure} />}
            <RecordForm
              fields={fields}
              values={values}
              problems={problems}
              serverProblems={serverProblems}
              shown={shown}
              inputs={inputs}
              onChange={change}
              onLeave={(name) => setShown((current) => new Set(current).add(name))}
              onKeyDown={keyDown}
              readOnly={!open}
              disabled={saving}
            />
            <Text size="xs" c="dimmed">
              {t("keying.enterHint")}
            </Text>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="sm">
            <RecordList records={records} current={index} />
            <ShortcutsPanel bindings={bindings} onChange={rebind} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function RecordList({ records, current }: { records: DataRecord[]; current: number }) {
  const { t, i18n } = useTranslation(NS);
  return (
    <Stack gap={4} aria-label={t("keying.records")} role="list" data-testid="keying-records" mah={260} style={{ overflowY: "auto" }}>
      {records.map((each, position) => (
        <Group
          key={each.id}
          role="listitem"
          justify="space-between"
          px="xs"
          py={2}
          bg={position === current ? "var(--mantine-color-blue-light)" : undefined}
          aria-current={position === current || undefined}
          data-status={each.status}
        >
          <Text size="sm">{t("batch.row")} {formatNumber(each.row_number, i18n.language)}</Text>
          <Group gap={4}>
            {each.my_values && (
              <Text size="xs" c="dimmed" data-testid="keyed-by-me">
                {t("keying.yourPass")}
              </Text>
            )}
            <RecordStatusBadge status={each.status} />
          </Group>
        </Group>
      ))}
    </Stack>
  );
}
