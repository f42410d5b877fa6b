/**
 * One employee: the record (with Edit and End employment for who may keep it: EmployeeActions), the personal
 * data (masked by the API unless the caller may see it), the
 * documents with their expiry (EmployeeDocuments: list, download, upload), and the onboarding/offboarding cases, where a case is started from a
 * checklist template.
 */
import "./i18n";
import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft, IconLock } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useMe } from "../auth/session";
import { errorMessage, QueryState } from "../components/QueryState";
import { formatDate, formatNumber } from "../lib/format";
import { caseLink, isMasked, progress } from "./cases";
import { EmployeeActions } from "./EmployeeActions";
import { EmployeeDocuments } from "./EmployeeDocuments";
import { NS } from "./i18n";
import {
  type Employee,
  type HrScope,
  useCases,
  useChecklists,
  useEmployee,
  useHrScope,
  useMayKeep,
  useStartCase,
} from "./queries";

const PERSONAL = ["national_id", "iban", "salary", "birth_date", "address"] as const;

export function Component() {
  const { employeeId = "" } = useParams();
  const { t } = useTranslation(NS);
  const { search } = useLocation();
  const scope = useHrScope();
  const employee = useEmployee(scope, employeeId);
  const base = scope.inConsole ? "/console/hr/employees" : "/portal/hr/employees";
  return (
    <Stack>
      <Anchor component={Link} to={`${base}${search}`} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t("employee.back")}
        </Group>
      </Anchor>
      <QueryState query={employee}>
        {(data) => (
          <>
            <Record scope={scope} employee={data} />
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <EmployeeDocuments scope={scope} employeeId={data.id} />
              <Cases scope={scope} employee={data} />
            </SimpleGrid>
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function Record({ scope, employee }: { scope: HrScope; employee: Employee }) {
  const { t, i18n } = useTranslation(NS);
  const mayKeep = useMayKeep(scope);
  const manager = useEmployee(scope, employee.manager_id ?? "");
  const personal = employee.personal as Record<string, string | number | null | undefined>;
  const masked = isMasked(personal);
  const shown = (name: (typeof PERSONAL)[number]) => {
    const value = personal[name];
    if (value === null || value === undefined) return "—";
    if (name === "salary") return `${formatNumber(Number(value) / 100, i18n.language, 2)} ${personal.currency ?? ""}`;
    if (name === "birth_date") return formatDate(String(value), i18n.language, "UTC");
    return String(value);
  };
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} data-testid="hr-employee-name">
          {employee.name}
        </Title>
        <Group gap="sm">
          <Badge variant="light" data-testid="hr-employee-status">
            {t(`employees.status_${employee.status}`)}
          </Badge>
          {mayKeep && <EmployeeActions scope={scope} employee={employee} />}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Fact label={t("employees.number")} value={employee.employee_number} />
        <Fact label={t("employees.department")} value={employee.department ?? "—"} />
        <Fact label={t("employees.jobTitle")} value={employee.job_title ?? "—"} />
        <Fact label={t("employees.startDate")} value={formatDate(employee.start_date, i18n.language, "UTC")} />
        <Fact label={t("employees.endDate")} value={formatDate(employee.end_date, i18n.language, "UTC")} testId="hr-employee-end-date" />
        <Fact label={t("form.manager")} value={manager.data?.name ?? "—"} testId="hr-employee-manager" />
        <Fact label={t("form.email")} value={employee.email ?? "—"} />
        <Fact label={t("form.contract_type")} value={t(`form.contract_${employee.contract_type}`)} />
      </SimpleGrid>
      <Title order={4} mt="md" mb="xs">
        {t("employee.personal")}
      </Title>
      {masked ? (
        <Group gap="xs" data-testid="hr-personal-masked">
          <IconLock size={16} />
          <Text size="sm" c="dimmed">
            {t("employee.masked")}
          </Text>
        </Group>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" data-testid="hr-personal">
          {PERSONAL.map((name) => (
            <Fact key={name} label={t(`employee.${name}`)} value={shown(name)} />
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

function Cases({ scope, employee }: { scope: HrScope; employee: Employee }) {
  const { t, i18n } = useTranslation(NS);
  const me = useMe();
  const cases = useCases(scope, { employee_id: employee.id });
  const keeper = scope.inConsole || me.role === "client_admin";
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        {t("employee.cases")}
      </Title>
      {keeper && scope.tenantId && <StartCase scope={scope} employee={employee} />}
      <QueryState query={cases} empty={(data) => data.items.length === 0} emptyText={t("employee.noCases")}>
        {(data) => (
          <Stack gap="xs" mt="sm">
            {data.items.map((found) => (
              <Group key={found.id} justify="space-between">
                <Anchor component={Link} to={caseLink(scope.inConsole, found.work_item_id)}>
                  {t(`cases.kind_${found.kind}`)} · {found.template_name}
                </Anchor>
                <Text size="sm" c="dimmed">
                  {formatDate(found.reference_date, i18n.language, "UTC")} · {progress(found.tasks)}%
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

function StartCase({ scope, employee }: { scope: HrScope; employee: Employee }) {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const checklists = useChecklists(scope);
  const start = useStartCase(scope);
  const [template, setTemplate] = useState<string | null>(null);
  const options = (checklists.data ?? []).map((checklist) => ({
    value: checklist.name,
    label: `${t(`cases.kind_${checklist.kind}`)}: ${checklist.name}`,
  }));
  const chosen = (checklists.data ?? []).find((checklist) => checklist.name === template);
  return (
    <Group align="flex-end" gap="sm">
      <Select
        label={t("employee.template")}
        data={options}
        value={template}
        onChange={(value) => setTemplate(value === null ? null : String(value))}
        w={260}
        data-testid="hr-case-template"
      />
      <Button
        disabled={!chosen}
        loading={start.isPending}
        data-testid="hr-start-case"
        onClick={() =>
          chosen &&
          start.mutate(
            { employee_id: employee.id, kind: chosen.kind, template: chosen.name },
            {
              onSuccess: (made) => {
                notifications.show({ color: "teal", message: t("employee.started", { count: made.tasks.length }) });
                navigate(caseLink(scope.inConsole, made.work_item_id));
              },
              onError: (error) => notifications.show({ color: "red", message: errorMessage(error, "") }),
            },
          )
        }
      >
        {chosen?.kind === "offboarding" ? t("employee.startOffboarding") : t("employee.startOnboarding")}
      </Button>
    </Group>
  );
}
