/**
 * The manager, chosen from the tenant's employees by typing part of a name or number: the list asks the
 * server (a tenant may have thousands), and the chosen manager stays shown even when outside the results.
 */
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { type HrScope, useEmployee, useEmployees } from "./queries";

const SHOWN = 25;

interface Props {
  scope: HrScope;
  value: string;
  onChange: (managerId: string) => void;
  /** The employee being edited: not their own manager. */
  selfId?: string;
  error?: ReactNode;
}

export function ManagerSelect({ scope, value, onChange, selfId, error }: Props) {
  const { t } = useTranslation(NS);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const current = useEmployee(scope, value);
  const label = (employee: { employee_number: string; name: string }) => `${employee.name} (${employee.employee_number})`;
  // Once a manager is chosen the box shows their label: that is no search, so every employee is offered.
  const found = useEmployees(scope, current.data && debounced === label(current.data) ? "" : debounced, SHOWN, 0);
  const options = (found.data?.items ?? [])
    .filter((employee) => employee.id !== selfId)
    .map((employee) => ({ value: employee.id, label: label(employee) }));
  if (value && current.data && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: label(current.data) });
  }
  return (
    <Select
      label={t("form.manager")}
      placeholder={t("form.managerPlaceholder")}
      data={options}
      value={value || null}
      onChange={(chosen) => onChange(chosen ?? "")}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={t("form.noManager")}
      clearButtonProps={{ "aria-label": t("form.clearManager") }}
      error={error}
      data-testid="hr-form-manager"
    />
  );
}
