/**
 * One payroll run from draft to books: its progress while the background job computes it (polled), its
 * totals, the steps that may be taken next (recompute, approve, finalize, the payment files, posting to
 * the books when the client keeps them with the provider), and its payslips line by line. Whether the
 * caller may take a step is the server's to say: its refusal (a preparer approving their own run, an
 * employee without a bank account at finalizing) stays on the page in its own words.
 */
import "./i18n";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Stepper,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber } from "../../lib/format";
import { WithTenant } from "../HrSection";
import type { HrScope } from "../queries";
import { NS } from "./i18n";
import { moneyText, type PayrollRun, periodLabel, progressPercent, runActions, STATUS_COLOURS, STEPS } from "./payroll";
import { PayslipsTable } from "./PayslipsTable";
import { ProblemAlert } from "./ProblemAlert";
import { useBankFile, useKeepsBooks, useRun, useRunStep } from "./queries";

export function Component() {
  return <WithTenant>{(scope) => <RunScreen scope={scope} />}</WithTenant>;
}

function RunScreen({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const { runId = "" } = useParams();
  const { search } = useLocation();
  const run = useRun(scope, runId);
  const base = scope.inConsole ? "/console/hr/payroll" : "/portal/hr/payroll";
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`${base}${search}`} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t("run.back")}
        </Group>
      </Anchor>
      <QueryState query={run}>{(data) => <Run scope={scope} run={data} />}</QueryState>
    </Stack>
  );
}

function Run({ scope, run }: { scope: HrScope; run: PayrollRun }) {
  const { t, i18n } = useTranslation(NS);
  const keepsBooks = useKeepsBooks(scope);
  const actions = runActions(run, keepsBooks);
  const step = useRunStep(scope, run.id);
  const done = (message: string) => () => notifications.show({ message, color: "green" });
  const stepIndex = Math.max(0, STEPS.indexOf(run.status as (typeof STEPS)[number]));
  const money = (minor: number) => moneyText(minor, run.currency, i18n.language);
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={3} data-testid="run-title">
          {t("run.heading", { period: periodLabel(run.period, i18n.language) })}
        </Title>
        <Badge size="lg" color={STATUS_COLOURS[run.status] ?? "gray"} data-testid="run-status">
          {t(`status.${run.status}`)}
        </Badge>
      </Group>
      <Stepper active={run.status === "finalized" ? STEPS.length : stepIndex} size="xs">
        {STEPS.map((name) => (
          <Stepper.Step key={name} label={t(`status.${name}`)} />
        ))}
      </Stepper>
      <RunProgress run={run} />
      {run.status === "failed" && (
        <ProblemAlert error={new Error(run.failure ?? t("run.failure"))} testId="run-failure" />
      )}
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} data-testid="run-totals">
        <Stat label={t("run.payslips")} value={formatNumber(run.totals.payslips, i18n.language)} />
        <Stat
          label={t("run.reviewed")}
          value={t("run.outOf", { done: formatNumber(run.totals.reviewed, i18n.language), total: formatNumber(run.totals.payslips, i18n.language) })}
        />
        <Stat label={t("run.gross")} value={money(run.totals.gross)} />
        <Stat label={t("run.deductions")} value={money(run.totals.deductions)} />
        <Stat label={t("run.net")} value={money(run.totals.net)} testId="run-net" />
        <Stat label={t("run.employerCost")} value={money(run.totals.employer_cost)} />
      </SimpleGrid>
      <Card withBorder>
        <Group gap="sm" wrap="wrap">
          {actions.recompute && (
            <Button
              variant="light"
              loading={step.isPending && step.variables === "compute"}
              onClick={() => step.mutate("compute", { onSuccess: done(t("run.recomputing")) })}
              data-testid="run-recompute"
            >
              {t("run.recompute")}
            </Button>
          )}
          {actions.approve && (
            <Button
              color="teal"
              loading={step.isPending && step.variables === "approve"}
              onClick={() => step.mutate("approve", { onSuccess: done(t("run.approved")) })}
              data-testid="run-approve"
            >
              {t("run.approve")}
            </Button>
          )}
          {actions.finalize && (
            <Button
              loading={step.isPending && step.variables === "finalize"}
              onClick={() => step.mutate("finalize", { onSuccess: done(t("run.finalized")) })}
              data-testid="run-finalize"
            >
              {t("run.finalize")}
            </Button>
          )}
          {actions.post && (
            <Button
              variant="light"
              loading={step.isPending && step.variables === "post"}
              onClick={() =>
                step.mutate("post", {
                  onSuccess: (posted) => notifications.show({ message: t("run.posted", { number: posted.journal_entry_number }), color: "green" }),
                })
              }
              data-testid="run-post"
            >
              {t("run.post")}
            </Button>
          )}
          {run.journal_entry_number && (
            <Badge variant="outline" data-testid="run-journal-entry">
              {t("run.journalEntry", { number: run.journal_entry_number })}
            </Badge>
          )}
        </Group>
        {actions.approve && (
          <Text size="xs" c="dimmed" mt="xs">
            {t("run.approveHelp")}
          </Text>
        )}
        <Group gap="lg" mt="xs">
          {run.approved_at && (
            <Text size="xs" c="dimmed">
              {t("run.approvedAt")}: {formatDateTime(run.approved_at, i18n.language)}
            </Text>
          )}
          {run.finalized_at && (
            <Text size="xs" c="dimmed">
              {t("run.finalizedAt")}: {formatDateTime(run.finalized_at, i18n.language)}
            </Text>
          )}
        </Group>
      </Card>
      <ProblemAlert error={step.error} onClose={step.reset} />
      {actions.payFiles && <PayFiles scope={scope} run={run} />}
      <PayslipsTable scope={scope} run={run} review={actions.review} />
    </Stack>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** The background job's progress: employees while computing, payslip PDFs once finalized. */
function RunProgress({ run }: { run: PayrollRun }) {
  const { t } = useTranslation(NS);
  const { employees_total, employees_done, documents_total, documents_done } = run.progress;
  if (run.status === "computing") {
    return (
      <Stack gap={4} data-testid="run-progress">
        <Text size="sm">{t("run.computing", { done: employees_done, total: employees_total })}</Text>
        <Progress value={progressPercent(run)} animated />
      </Stack>
    );
  }
  if (run.status === "finalized" && documents_done < documents_total) {
    return (
      <Stack gap={4} data-testid="run-progress">
        <Text size="sm">{t("run.documents", { done: documents_done, total: documents_total })}</Text>
        <Progress value={progressPercent(run)} animated />
      </Stack>
    );
  }
  return null;
}

/** The bank payment file: CSV as it is, SEPA pain.001 naming the account the salaries are paid from. */
function PayFiles({ scope, run }: { scope: HrScope; run: PayrollRun }) {
  const { t } = useTranslation(NS);
  const bankFile = useBankFile(scope, run);
  const [iban, setIban] = useState("");
  const [name, setName] = useState("");
  const [bic, setBic] = useState("");
  return (
    <Card withBorder data-testid="run-pay-files">
      <Title order={5} mb="sm">
        {t("run.payFiles")}
      </Title>
      <Group align="flex-end" wrap="wrap">
        <Button
          variant="light"
          onClick={() => bankFile.mutate({ format: "csv" })}
          loading={bankFile.isPending && bankFile.variables?.format === "csv"}
          data-testid="run-bank-csv"
        >
          {t("run.bankCsv")}
        </Button>
        <TextInput
          label={t("run.debtorIban")}
          value={iban}
          onChange={(e) => setIban(e.currentTarget.value)}
          maxLength={42}
          dir="ltr"
          data-testid="run-debtor-iban"
        />
        <TextInput label={t("run.debtorName")} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={70} />
        <TextInput label={t("run.debtorBic")} value={bic} onChange={(e) => setBic(e.currentTarget.value)} maxLength={11} dir="ltr" w={140} />
        <Button
          variant="light"
          onClick={() =>
            bankFile.mutate({
              format: "sepa",
              debtor_iban: iban.trim() || undefined,
              debtor_name: name.trim() || undefined,
              debtor_bic: bic.trim() || undefined,
            })
          }
          loading={bankFile.isPending && bankFile.variables?.format === "sepa"}
          data-testid="run-bank-sepa"
        >
          {t("run.bankSepa")}
        </Button>
      </Group>
      <ProblemAlert error={bankFile.error} onClose={bankFile.reset} testId="run-bank-error" />
    </Card>
  );
}
