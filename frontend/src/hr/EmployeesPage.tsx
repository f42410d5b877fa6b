/**
 * A client's employees: number, name, department, job and status; a row opens the employee. Who may keep
 * them (the client admin, hr staff) adds one here or imports a file.
 */
import "./i18n";
import { Anchor, Badge, Button, Group, Pagination, Table, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconFileImport, IconPlus, IconSearch } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { EmployeeFormModal } from "./EmployeeFormModal";
import { WithTenant } from "./HrSection";
import { NS } from "./i18n";
import { ImportModal } from "./ImportModal";
import { type HrScope, useEmployees, useMayKeep } from "./queries";

const PAGE = 25;
const STATUS_COLORS = { active: "teal", on_leave: "yellow", terminated: "gray" } as const;

export function Component() {
  return <WithTenant>{(scope) => <Employees scope={scope} />}</WithTenant>;
}

function Employees({ scope }: { scope: HrScope }) {
  const { t, i18n } = useTranslation(NS);
  const { search: address } = useLocation();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [page, setPage] = useState(1);
  const employees = useEmployees(scope, debounced, PAGE, (page - 1) * PAGE);
  const base = scope.inConsole ? "/console/hr/employees" : "/portal/hr/employees";
  const mayKeep = useMayKeep(scope);
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  return (
    <>
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <TextInput
          leftSection={<IconSearch size={16} />}
          placeholder={t("employees.search")}
          aria-label={t("employees.search")}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          flex={1}
          maw={400}
        />
        {mayKeep && (
          <Group gap="xs">
            <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)} data-testid="hr-import">
              {t("import.open")}
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="hr-add-employee">
              {t("form.add")}
            </Button>
          </Group>
        )}
      </Group>
      <EmployeeFormModal
        scope={scope}
        employee={null}
        opened={adding}
        onClose={() => setAdding(false)}
        onSaved={(made) => navigate(`${base}/${made.id}${address}`)}
      />
      <ImportModal scope={scope} opened={importing} onClose={() => setImporting(false)} />
      <QueryState query={employees} empty={(data) => data.items.length === 0} emptyText={t("employees.empty")}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover data-testid="hr-employees">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("employees.number")}</Table.Th>
                    <Table.Th>{t("employees.name")}</Table.Th>
                    <Table.Th>{t("employees.department")}</Table.Th>
                    <Table.Th>{t("employees.jobTitle")}</Table.Th>
                    <Table.Th>{t("employees.startDate")}</Table.Th>
                    <Table.Th>{t("employees.status")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((employee) => (
                    <Table.Tr key={employee.id}>
                      <Table.Td>{employee.employee_number}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`${base}/${employee.id}${address}`}>
                          {employee.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{employee.department ?? "—"}</Table.Td>
                      <Table.Td>{employee.job_title ?? "—"}</Table.Td>
                      <Table.Td>{formatDate(employee.start_date, i18n.language, "UTC")}</Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLORS[employee.status]} variant="light">
                          {t(`employees.status_${employee.status}`)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {data.total > PAGE && (
              <Group justify="center" mt="md">
                <Pagination total={Math.ceil(data.total / PAGE)} value={page} onChange={setPage} />
              </Group>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
