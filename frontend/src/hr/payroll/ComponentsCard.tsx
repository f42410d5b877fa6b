/**
 * The tenant's pay components: what they are (earning, deduction, employer contribution), how they are
 * worked out (a fixed amount or a percentage of others), whether payslips show them, and each
 * employee's own amount. Adding and editing go through one form; the server's problems show by field.
 */
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { QueryState } from "../../components/QueryState";
import { minorDigits } from "../../billing/money";
import { formatPercent } from "../../lib/percent";
import { useEmployees } from "../queries";
import type { HrScope } from "../queries";
import { NS } from "./i18n";
import {
  amountToMinor,
  inputNumber,
  basisChoices,
  type ComponentDraft,
  componentBody,
  draftOf,
  EMPTY_DRAFT,
  KINDS,
  moneyText,
  type PayComponent,
} from "./payroll";
import { ProblemAlert } from "./ProblemAlert";
import { useComponents, useEmployeePay, usePayrollWrite } from "./queries";

const KIND_COLOURS: Record<string, string> = { earning: "teal", deduction: "orange", employer_contribution: "grape" };

export function ComponentsCard({ scope, currency }: { scope: HrScope; currency: string | null }) {
  const { t, i18n } = useTranslation(NS);
  const components = useComponents(scope);
  const [editing, setEditing] = useState<PayComponent | "new" | null>(null);
  const [forEmployees, setForEmployees] = useState<PayComponent | null>(null);
  const retire = usePayrollWrite(scope, (component: PayComponent) =>
    unwrap(
      api.DELETE("/api/v1/hr/pay-components/{component_id}", {
        params: { path: { component_id: component.id } },
        ...scope.headers,
      }),
    ),
  );
  return (
    <Card withBorder data-testid="payroll-components">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t("components.title")}</Title>
        <Button size="xs" onClick={() => setEditing("new")} data-testid="payroll-component-add">
          {t("components.add")}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t("components.intro")}
      </Text>
      <ProblemAlert error={retire.error} onClose={retire.reset} />
      <QueryState query={components} empty={(rows) => rows.length === 0} emptyText={t("components.empty")}>
        {(rows) => (
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="payroll-component-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("components.code")}</Table.Th>
                  <Table.Th>{t("components.name")}</Table.Th>
                  <Table.Th>{t("components.kind")}</Table.Th>
                  <Table.Th>{t("components.calculation")}</Table.Th>
                  <Table.Th>{t("components.appliesToAll")}</Table.Th>
                  <Table.Th>{t("components.hidden")}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id} data-testid={`payroll-component-${row.code}`}>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {row.code}
                      </Text>
                    </Table.Td>
                    <Table.Td>{i18n.language === "ar" && row.name_ar ? row.name_ar : row.name}</Table.Td>
                    <Table.Td>
                      <Badge color={KIND_COLOURS[row.kind] ?? "gray"} variant="light" miw="fit-content" title={t(`components.kind_${row.kind}`)}>
                        {t(`components.badge_${row.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {row.calculation === "percent"
                        ? t("components.percentOf", {
                            percent: formatPercent(Number(row.percent), i18n.language, 4),
                            basis: row.basis.join(" + "),
                          })
                        : moneyText(row.amount ?? 0, currency, i18n.language)}
                    </Table.Td>
                    <Table.Td>{row.applies_to_all ? "✓" : t("components.appliesToSome")}</Table.Td>
                    <Table.Td>{row.hidden ? "✓" : "—"}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="compact-xs" variant="light" onClick={() => setEditing(row)}>
                          {t("components.edit")}
                        </Button>
                        <Button size="compact-xs" variant="light" onClick={() => setForEmployees(row)}>
                          {t("components.perEmployee")}
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          loading={retire.isPending && retire.variables?.id === row.id}
                          onClick={() =>
                            retire.mutate(row, {
                              onSuccess: () =>
                                notifications.show({ message: t("components.retired", { code: row.code }), color: "green" }),
                            })
                          }
                        >
                          {t("components.retire")}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {editing !== null && (
        <ComponentForm
          scope={scope}
          currency={currency}
          editing={editing === "new" ? null : editing}
          others={components.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
      {forEmployees !== null && (
        <EmployeePayModal scope={scope} currency={currency} component={forEmployees} onClose={() => setForEmployees(null)} />
      )}
    </Card>
  );
}

interface FormProps {
  scope: HrScope;
  currency: string | null;
  editing: PayComponent | null;
  others: PayComponent[];
  onClose: () => void;
}

function ComponentForm({ scope, currency, editing, others, onClose }: FormProps) {
  const { t } = useTranslation(NS);
  const [draft, setDraft] = useState<ComponentDraft>(() => (editing ? draftOf(editing, currency) : EMPTY_DRAFT));
  const set = <K extends keyof ComponentDraft>(key: K, value: ComponentDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const save = usePayrollWrite(scope, (body: ReturnType<typeof componentBody>) =>
    editing
      ? unwrap(
          api.PUT("/api/v1/hr/pay-components/{component_id}", {
            params: { path: { component_id: editing.id } },
            body,
            ...scope.headers,
          }),
        )
      : unwrap(api.POST("/api/v1/hr/pay-components", { body, ...scope.headers })),
  );
  const submit = () =>
    save.mutate(componentBody(draft, currency), {
      onSuccess: (saved) => {
        notifications.show({ message: t("components.saved", { code: saved.code }), color: "green" });
        onClose();
      },
    });
  return (
    <Modal
      opened
      onClose={onClose}
      title={editing ? t("components.editTitle", { code: editing.code }) : t("components.newTitle")}
      size="lg"
    >
      <Stack gap="sm" data-testid="payroll-component-form">
        <Group grow align="flex-start">
          <TextInput
            label={t("components.code")}
            description={t("components.codeHelp")}
            value={draft.code}
            onChange={(e) => set("code", e.currentTarget.value)}
            disabled={editing !== null}
            maxLength={40}
            data-testid="component-code"
          />
          <Select
            label={t("components.kind")}
            data={KINDS.map((kind) => ({ value: kind, label: t(`components.kind_${kind}`) }))}
            value={draft.kind}
            onChange={(value) => value && set("kind", value as ComponentDraft["kind"])}
            allowDeselect={false}
            data-testid="component-kind"
          />
        </Group>
        <Group grow>
          <TextInput
            label={t("components.name")}
            value={draft.name}
            onChange={(e) => set("name", e.currentTarget.value)}
            maxLength={200}
            data-testid="component-name"
          />
          <TextInput
            label={t("components.nameAr")}
            value={draft.name_ar}
            onChange={(e) => set("name_ar", e.currentTarget.value)}
            maxLength={200}
            dir="rtl"
            data-testid="component-name-ar"
          />
        </Group>
        <Select
          label={t("components.calculation")}
          data={[
            { value: "fixed", label: t("components.calc_fixed") },
            { value: "percent", label: t("components.calc_percent") },
          ]}
          value={draft.calculation}
          onChange={(value) => value && set("calculation", value as ComponentDraft["calculation"])}
          allowDeselect={false}
          data-testid="component-calculation"
        />
        {draft.calculation === "fixed" ? (
          <NumberInput
            label={t("components.amount")}
            rightSection={currency ? <Text size="xs">{currency}</Text> : undefined}
            value={draft.amount}
            onChange={(value) => set("amount", inputNumber(value))}
            min={0}
            decimalScale={currency ? minorDigits(currency) : 2}
            data-testid="component-amount"
          />
        ) : (
          <Group grow align="flex-start">
            <TextInput
              label={t("components.percent")}
              value={draft.percent}
              onChange={(e) => set("percent", e.currentTarget.value)}
              maxLength={12}
              inputMode="decimal"
              rightSection="%"
              data-testid="component-percent"
            />
            <MultiSelect
              label={t("components.basis")}
              data={basisChoices(others, editing?.code ?? null)}
              value={draft.basis}
              onChange={(value) => set("basis", value)}
              data-testid="component-basis"
            />
          </Group>
        )}
        <Switch
          label={t("components.appliesToAll")}
          checked={draft.applies_to_all}
          onChange={(e) => set("applies_to_all", e.currentTarget.checked)}
          data-testid="component-applies-to-all"
        />
        <Switch
          label={t("components.hidden")}
          checked={draft.hidden}
          onChange={(e) => set("hidden", e.currentTarget.checked)}
          data-testid="component-hidden"
        />
        <ProblemAlert error={save.error} testId="payroll-component-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("components.cancel")}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="component-save">
            {t("components.save")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

interface EmployeePayProps {
  scope: HrScope;
  currency: string | null;
  component: PayComponent;
  onClose: () => void;
}

/** Employees' own amounts (or percents) for one component: set one, or remove it (the default applies again). */
function EmployeePayModal({ scope, currency, component, onClose }: EmployeePayProps) {
  const { t, i18n } = useTranslation(NS);
  const pays = useEmployeePay(scope, component.id);
  const employees = useEmployees(scope, "", 200, 0);
  const [employee, setEmployee] = useState<string | null>(null);
  const [value, setValue] = useState<number | string>("");
  const percent = component.calculation === "percent";
  const names = new Map((employees.data?.items ?? []).map((row) => [row.id, `${row.employee_number} ${row.name}`]));
  const setPay = usePayrollWrite(scope, (employeeId: string) =>
    unwrap(
      api.PUT("/api/v1/hr/pay-components/{component_id}/employees/{employee_id}", {
        params: { path: { component_id: component.id, employee_id: employeeId } },
        body: percent ? { percent: String(value) } : { amount: amountToMinor(value, currency) },
        ...scope.headers,
      }),
    ),
  );
  const removePay = usePayrollWrite(scope, (employeeId: string) =>
    unwrap(
      api.DELETE("/api/v1/hr/pay-components/{component_id}/employees/{employee_id}", {
        params: { path: { component_id: component.id, employee_id: employeeId } },
        ...scope.headers,
      }),
    ),
  );
  return (
    <Modal opened onClose={onClose} title={t("components.perEmployeeTitle", { name: component.name })} size="lg">
      <Stack gap="sm" data-testid="payroll-employee-pay">
        <Text size="sm" c="dimmed">
          {t("components.perEmployeeHelp")}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t("components.employee")}
            data={(employees.data?.items ?? []).map((row) => ({ value: row.id, label: `${row.employee_number} ${row.name}` }))}
            value={employee}
            onChange={(next) => setEmployee(next ? String(next) : null)}
            searchable
            data-testid="employee-pay-employee"
          />
          {percent ? (
            <TextInput
              label={t("components.ownPercent")}
              value={String(value)}
              onChange={(e) => setValue(e.currentTarget.value)}
              rightSection="%"
              maxLength={12}
              data-testid="employee-pay-value"
            />
          ) : (
            <NumberInput
              label={t("components.own")}
              value={value}
              onChange={(next) => setValue(inputNumber(next))}
              min={0}
              decimalScale={currency ? minorDigits(currency) : 2}
              data-testid="employee-pay-value"
            />
          )}
          <Button
            onClick={() => employee && setPay.mutate(employee)}
            disabled={!employee || value === ""}
            loading={setPay.isPending}
            data-testid="employee-pay-set"
          >
            {t("components.set")}
          </Button>
        </Group>
        <ProblemAlert error={setPay.error ?? removePay.error} />
        <QueryState query={pays} empty={(rows) => rows.length === 0} emptyText={t("components.noOwn")}>
          {(rows) => (
            <Table data-testid="employee-pay-rows">
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.employee_id}>
                    <Table.Td>{names.get(row.employee_id) ?? row.employee_id}</Table.Td>
                    <Table.Td>
                      {row.percent !== null
                        ? formatPercent(Number(row.percent), i18n.language, 4)
                        : moneyText(row.amount ?? 0, currency, i18n.language)}
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => removePay.mutate(row.employee_id)}>
                        {t("components.remove")}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryState>
      </Stack>
    </Modal>
  );
}
