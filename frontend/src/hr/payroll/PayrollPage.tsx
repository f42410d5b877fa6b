/**
 * The HR desk's payroll tab: the client's payroll runs (prepare one for a month; each opens its review
 * page), the schedule that prepares them on a set day, and the pay components every payslip is made of. The same screen in the portal (the client's
 * admin) and the console (provider staff with the hr skill, for the client chosen above).
 */
import "./i18n";
import { Anchor, Badge, Button, Card, Group, Progress, Stack, Table, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { api, unwrap } from "../../api/client";
import { QueryState } from "../../components/QueryState";
import { WithTenant } from "../HrSection";
import { type HrScope, useEmployees } from "../queries";
import { ComponentsCard } from "./ComponentsCard";
import { NS } from "./i18n";
import { currentPeriod, isBusy, isPeriod, moneyText, periodLabel, progressPercent, STATUS_COLOURS } from "./payroll";
import { formatNumber } from "../../lib/format";
import { ProblemAlert } from "./ProblemAlert";
import { ScheduleCard } from "./ScheduleCard";
import { usePayrollWrite, useRuns } from "./queries";

export function Component() {
  return <WithTenant>{(scope) => <Payroll scope={scope} />}</WithTenant>;
}

/** The payroll's currency: the latest run's, else the employees' salaries' (null before either is known). */
function usePayrollCurrency(scope: HrScope): string | null {
  const runs = useRuns(scope);
  const employees = useEmployees(scope, "", 200, 0);
  const fromRun = runs.data?.items.find((run) => run.currency)?.currency;
  const fromSalaries = employees.data?.items.find((row) => row.personal.currency)?.personal.currency;
  return fromRun ?? fromSalaries ?? null;
}

function Payroll({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const currency = usePayrollCurrency(scope);
  return (
    <Stack gap="lg">
      <Title order={3}>{t("title")}</Title>
      <RunsCard scope={scope} currency={currency} />
      <ScheduleCard scope={scope} />
      <ComponentsCard scope={scope} currency={currency} />
    </Stack>
  );
}

function RunsCard({ scope, currency }: { scope: HrScope; currency: string | null }) {
  const { t, i18n } = useTranslation(NS);
  const { search } = useLocation();
  const navigate = useNavigate();
  const runs = useRuns(scope);
  const [period, setPeriod] = useState(currentPeriod());
  const base = scope.inConsole ? "/console/hr/payroll" : "/portal/hr/payroll";
  const start = usePayrollWrite(scope, () =>
    unwrap(api.POST("/api/v1/hr/payroll-runs", { body: { period }, ...scope.headers })),
  );
  return (
    <Card withBorder data-testid="payroll-runs">
      <Title order={4} mb="sm">
        {t("runs.title")}
      </Title>
      <Group align="flex-end" mb="sm">
        <TextInput
          label={t("runs.period")}
          type="month"
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value)}
          data-testid="payroll-period"
        />
        <Button
          onClick={() =>
            start.mutate(undefined, {
              onSuccess: (run) => {
                notifications.show({ message: t("runs.started", { period: periodLabel(run.period, i18n.language) }), color: "green" });
                navigate(`${base}/${run.id}${search}`);
              },
            })
          }
          disabled={!isPeriod(period)}
          loading={start.isPending}
          data-testid="payroll-start"
        >
          {t("runs.start")}
        </Button>
      </Group>
      <ProblemAlert error={start.error} onClose={start.reset} />
      <QueryState query={runs} empty={(data) => data.items.length === 0} emptyText={t("runs.empty")}>
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover data-testid="payroll-run-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("runs.period")}</Table.Th>
                  <Table.Th>{t("runs.status")}</Table.Th>
                  <Table.Th>{t("runs.payslips")}</Table.Th>
                  <Table.Th>{t("runs.gross")}</Table.Th>
                  <Table.Th>{t("runs.net")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((run) => (
                  <Table.Tr key={run.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`${base}/${run.id}${search}`}>
                        {periodLabel(run.period, i18n.language)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOURS[run.status] ?? "gray"}>{t(`status.${run.status}`)}</Badge>
                      {isBusy(run) && <Progress value={progressPercent(run)} size="xs" mt={4} animated />}
                    </Table.Td>
                    <Table.Td>{formatNumber(run.totals.payslips, i18n.language)}</Table.Td>
                    <Table.Td>{moneyText(run.totals.gross, run.currency ?? currency, i18n.language)}</Table.Td>
                    <Table.Td>{moneyText(run.totals.net, run.currency ?? currency, i18n.language)}</Table.Td>
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
