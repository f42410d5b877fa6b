/**
 * A client's leave: request leave for an employee, the requests (the client admin approves or rejects
 * pending ones in the portal), and who is away between two days. In the console staff see the same
 * for the client they chose, and staff with the hr skill approve or refuse on a client admin's behalf
 * (ConsoleDecision: the admin named, the decision recorded as made for them).
 */
import "./i18n";
import { Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { useMe } from "../../auth/session";
import { errorMessage } from "../../components/QueryState";
import { WithTenant } from "../HrSection";
import { type HrScope, hrKey, useEmployees } from "../queries";
import { ConsoleDecision } from "./ConsoleDecision";
import { useDeciders } from "./deciders";
import { NS } from "./i18n";

const STATUS_COLOURS: Record<string, string> = { pending: "yellow", approved: "green", rejected: "red" };

export function Component() {
  return <WithTenant>{(scope) => <Leave scope={scope} />}</WithTenant>;
}

function Leave({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  return (
    <Stack gap="lg">
      <Title order={3}>{t("title")}</Title>
      <RequestForm scope={scope} />
      <Requests scope={scope} />
      <AwayCalendar scope={scope} />
    </Stack>
  );
}

function RequestForm({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const queryClient = useQueryClient();
  const employees = useEmployees(scope, "", 200, 0);
  const types = useQuery({
    queryKey: [...hrKey(scope.tenantId), "leave-types"],
    queryFn: () => unwrap(api.GET("/api/v1/hr/leave-types", { ...scope.headers })),
  });
  const [employee, setEmployee] = useState<string | null>(null);
  const [leaveType, setLeaveType] = useState<string | null>(null);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const file = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/hr/leave-requests", {
          body: { employee_id: employee ?? "", leave_type: leaveType ?? "", start_date: start, end_date: end },
          ...scope.headers,
        }),
      ),
    onSuccess: (made) => {
      notifications.show({ message: t("requested", { days: made.days }), color: "green" });
      queryClient.invalidateQueries({ queryKey: hrKey(scope.tenantId) });
    },
    onError: (error) => notifications.show({ message: errorMessage(error, t("failed")), color: "red" }),
  });
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t("request")}
      </Title>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t("employee")}
          data={(employees.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
          value={employee}
          onChange={(value) => setEmployee(value ? String(value) : null)}
          searchable
          data-testid="leave-employee"
        />
        <Select
          label={t("type")}
          data={(types.data?.items ?? []).filter((x) => x.active).map((x) => ({ value: x.code, label: x.name }))}
          value={leaveType}
          onChange={(value) => setLeaveType(value ? String(value) : null)}
          data-testid="leave-type"
        />
        <TextInput label={t("from")} type="date" value={start} onChange={(e) => setStart(e.currentTarget.value)} data-testid="leave-from" />
        <TextInput label={t("to")} type="date" value={end} onChange={(e) => setEnd(e.currentTarget.value)} data-testid="leave-to" />
        <Button onClick={() => file.mutate()} loading={file.isPending} disabled={!employee || !leaveType || !start || !end} data-testid="leave-submit">
          {t("submit")}
        </Button>
      </Group>
    </Card>
  );
}

function Requests({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const me = useMe();
  const queryClient = useQueryClient();
  const mayDecide = !scope.inConsole && me.role === "client_admin";
  const deciders = useDeciders(scope);
  const staffDecide = scope.inConsole && Boolean(deciders.data?.length);
  const requests = useQuery({
    queryKey: [...hrKey(scope.tenantId), "leave-requests"],
    queryFn: () => unwrap(api.GET("/api/v1/hr/leave-requests", { params: { query: { limit: 100 } }, ...scope.headers })),
  });
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) =>
      approve
        ? unwrap(api.POST("/api/v1/hr/leave-requests/{request_id}/approve", { params: { path: { request_id: id } }, body: {} }))
        : unwrap(
            api.POST("/api/v1/hr/leave-requests/{request_id}/reject", {
              params: { path: { request_id: id } },
              body: { reason: window.prompt(t("rejectReason")) || "-" },
            }),
          ),
    onSuccess: (done) => {
      notifications.show({ message: t(done.status === "approved" ? "approved" : "rejected"), color: "green" });
      queryClient.invalidateQueries({ queryKey: hrKey(scope.tenantId) });
    },
    onError: (error) => notifications.show({ message: errorMessage(error, t("failed")), color: "red" }),
  });
  const rows = requests.data?.items ?? [];
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t("requests")}
      </Title>
      {scope.inConsole && (
        <Text c="dimmed" size="sm" mb="sm">
          {t(staffDecide ? "decideOnBehalf" : "decidedInPortal")}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text c="dimmed">{t("noRequests")}</Text>
      ) : (
        <Table data-testid="leave-requests">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("employee")}</Table.Th>
              <Table.Th>{t("type")}</Table.Th>
              <Table.Th>{t("from")}</Table.Th>
              <Table.Th>{t("to")}</Table.Th>
              <Table.Th>{t("days")}</Table.Th>
              <Table.Th>{t("status")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>{row.employee_name}</Table.Td>
                <Table.Td>{row.leave_type}</Table.Td>
                <Table.Td>{row.start_date}</Table.Td>
                <Table.Td>{row.end_date}</Table.Td>
                <Table.Td>{row.days}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOURS[row.status] ?? "gray"} title={row.decided_on_behalf_of ? t("onBehalf") : undefined}>
                    {t(`status_${row.status}`)}
                  </Badge>
                  {row.decided_on_behalf_of && (
                    <Text size="xs" c="dimmed" data-testid="leave-decided-on-behalf">
                      {t("onBehalfShort")}
                    </Text>
                  )}
                  {row.reject_reason && (
                    <Text size="xs" c="dimmed">
                      {row.reject_reason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {mayDecide && row.status === "pending" && (
                    <Group gap="xs">
                      <Button size="xs" onClick={() => decide.mutate({ id: row.id, approve: true })} data-testid="leave-approve">
                        {t("approve")}
                      </Button>
                      <Button size="xs" variant="light" color="red" onClick={() => decide.mutate({ id: row.id, approve: false })}>
                        {t("reject")}
                      </Button>
                    </Group>
                  )}
                  {staffDecide && row.status === "pending" && <ConsoleDecision scope={scope} request={row} />}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function monthBounds(): [string, string] {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

function AwayCalendar({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const [defaultFrom, defaultTo] = monthBounds();
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState(defaultTo);
  const calendar = useQuery({
    queryKey: [...hrKey(scope.tenantId), "leave-calendar", from, to],
    queryFn: () =>
      unwrap(api.GET("/api/v1/hr/leave-calendar", { params: { query: { from, to } }, ...scope.headers })),
    enabled: Boolean(from && to),
  });
  const away = calendar.data?.away ?? [];
  return (
    <Card withBorder data-testid="leave-calendar">
      <Title order={4} mb="sm">
        {t("calendar")}
      </Title>
      <Group mb="sm">
        <TextInput label={t("from")} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label={t("to")} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      {away.length === 0 ? (
        <Text c="dimmed">{t("noneAway")}</Text>
      ) : (
        <Table>
          <Table.Tbody>
            {away.map((row) => (
              <Table.Tr key={row.request_id}>
                <Table.Td>{row.employee_name}</Table.Td>
                <Table.Td>{row.leave_type}</Table.Td>
                <Table.Td>
                  {row.start_date} – {row.end_date}
                </Table.Td>
                <Table.Td>{row.days}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
