/**
 * Add an employee, or change one: the record, and the personal data for who may see it. A refused save
 * keeps every box as typed and shows the server's words under the field they are about (employeeForm.ts
 * decides what is sent: a change sends only what changed, and personal data only when it was edited).
 */
import "./i18n";
import { Button, Divider, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "../admin/FormAlert";
import {
  CONTRACT_TYPES,
  type ContractType,
  createBody,
  type Employee,
  type EmployeeForm,
  employeeProblems,
  formOf,
  PERSONAL_FIELDS,
  type PersonalField,
  patchBody,
} from "./employeeForm";
import { NS } from "./i18n";
import { ManagerSelect } from "./ManagerSelect";
import { type HrScope, useSaveEmployee } from "./queries";

type RecordField = Exclude<keyof EmployeeForm, "personal" | "contract_type" | "manager_id">;

interface Props {
  scope: HrScope;
  /** The employee to change; null adds one. */
  employee: Employee | null;
  opened: boolean;
  onClose: () => void;
  onSaved?: (saved: Employee) => void;
}

export function EmployeeFormModal({ scope, employee, opened, onClose, onSaved }: Props) {
  const { t } = useTranslation(NS);
  return (
    <Modal opened={opened} onClose={onClose} title={t(employee ? "form.editTitle" : "form.addTitle")} size="xl">
      {/* Mounted only while open, so each opening starts from the employee as it is now. */}
      {opened && <FormBody scope={scope} employee={employee} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function FormBody({ scope, employee, onClose, onSaved }: Omit<Props, "opened">) {
  const { t } = useTranslation(NS);
  const [initial] = useState(() => formOf(employee));
  const [form, setForm] = useState(initial);
  const save = useSaveEmployee(scope);
  const problems = employeeProblems(save.error);
  // The server writes in English: <bdi> keeps a message's punctuation in place inside an Arabic form.
  const error = (name: string) => (problems.fields[name] ? <bdi>{problems.fields[name]}</bdi> : undefined);
  const set = (patch: Partial<EmployeeForm>) => setForm((current) => ({ ...current, ...patch }));
  const setPersonal = (name: PersonalField, value: string) =>
    setForm((current) => ({ ...current, personal: { ...current.personal, [name]: value } }));
  const box = (name: RecordField, props: { required?: boolean; type?: string } = {}) => (
    <TextInput
      label={t(`form.${name}`)}
      value={form[name]}
      onChange={(event) => set({ [name]: event.currentTarget.value })}
      error={error(name)}
      data-testid={`hr-form-${name}`}
      {...props}
    />
  );
  const submit = () => {
    const request = employee
      ? { id: employee.id, update: patchBody(initial, form, true) }
      : { create: createBody(form, true) };
    save.mutate(request, {
      onSuccess: (saved) => {
        notifications.show({ color: "teal", message: t(employee ? "form.saved" : "form.added", { name: saved.name }) });
        onClose();
        onSaved?.(saved);
      },
    });
  };
  return (
    <form onSubmit={(event) => (event.preventDefault(), submit())} data-testid="hr-employee-form" noValidate>
      <Stack>
        <FormAlert error={save.error} problems={problems} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {employee ? (
            <TextInput label={t("form.employee_number")} value={form.employee_number} disabled />
          ) : (
            box("employee_number", { required: true })
          )}
          {box("name", { required: true })}
          {box("email", { type: "email" })}
          {box("job_title")}
          {box("department")}
          <ManagerSelect
            scope={scope}
            value={form.manager_id}
            onChange={(managerId) => set({ manager_id: managerId })}
            selfId={employee?.id}
            error={error("manager_id")}
          />
          <Select
            label={t("form.contract_type")}
            data={CONTRACT_TYPES.map((value) => ({ value, label: t(`form.contract_${value}`) }))}
            value={form.contract_type}
            onChange={(value) => value && set({ contract_type: value as ContractType })}
            allowDeselect={false}
            error={error("contract_type")}
            data-testid="hr-form-contract_type"
          />
          {box("start_date", { required: true, type: "date" })}
          {box("end_date", { type: "date" })}
        </SimpleGrid>
        <Divider label={t("employee.personal")} labelPosition="left" />
        <Text size="xs" c="dimmed">
          {t(employee ? "form.personalReplaces" : "form.personalHelp")}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="hr-form-personal">
          {PERSONAL_FIELDS.map((name) => (
            <TextInput
              key={name}
              label={t(name === "currency" ? "form.currency" : `employee.${name}`)}
              description={name === "salary" ? t("form.salaryHelp") : undefined}
              type={name === "birth_date" ? "date" : "text"}
              inputMode={name === "salary" ? "decimal" : undefined}
              dir={name === "iban" || name === "national_id" ? "ltr" : undefined}
              value={form.personal[name]}
              onChange={(event) => setPersonal(name, event.currentTarget.value)}
              error={error(name)}
              data-testid={`hr-form-${name}`}
            />
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          {Object.keys(problems.fields).length > 0 && (
            <Text size="sm" c="red" role="alert" data-testid="hr-form-refused">
              {t("form.checkFields")}
            </Text>
          )}
          <Button variant="default" onClick={onClose}>
            {t("checklists.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="hr-form-save">
            {t("checklists.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
