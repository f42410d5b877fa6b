/**
 * What a keeper does to one employee from its page: change the record (EmployeeFormModal), end the
 * employment (set the last working day; the employee reads "Left" from the next day), or take a set last
 * day back (a rehire, or a leaving that did not happen): the API clears it with null.
 */
import "./i18n";
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDoorExit, IconEdit, IconRotateClockwise } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../components/QueryState";
import { localToday } from "./documentExpiry";
import type { Employee } from "./employeeForm";
import { EmployeeFormModal } from "./EmployeeFormModal";
import { NS } from "./i18n";
import { type HrScope, useSaveEmployee } from "./queries";

export function EmployeeActions({ scope, employee }: { scope: HrScope; employee: Employee }) {
  const { t } = useTranslation(NS);
  const [editing, setEditing] = useState(false);
  const [ending, setEnding] = useState(false);
  const save = useSaveEmployee(scope);
  const clearEnd = () =>
    save.mutate(
      { id: employee.id, update: { end_date: null } },
      {
        onSuccess: () => notifications.show({ color: "teal", message: t("actions.endCleared") }),
        onError: (error) => notifications.show({ color: "red", message: errorMessage(error, t("actions.failed")) }),
      },
    );
  return (
    <Group gap="xs">
      <Button variant="light" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)} data-testid="hr-employee-edit">
        {t("actions.edit")}
      </Button>
      {employee.end_date ? (
        <Button
          variant="light"
          color="gray"
          leftSection={<IconRotateClockwise size={16} />}
          loading={save.isPending}
          onClick={clearEnd}
          data-testid="hr-employee-clear-end"
        >
          {t("actions.clearEnd")}
        </Button>
      ) : (
        <Button variant="light" color="red" leftSection={<IconDoorExit size={16} />} onClick={() => setEnding(true)} data-testid="hr-employee-end">
          {t("actions.end")}
        </Button>
      )}
      <EmployeeFormModal scope={scope} employee={employee} opened={editing} onClose={() => setEditing(false)} />
      <Modal opened={ending} onClose={() => setEnding(false)} title={t("actions.endTitle", { name: employee.name })}>
        {ending && <EndEmployment scope={scope} employee={employee} onDone={() => setEnding(false)} />}
      </Modal>
    </Group>
  );
}

function EndEmployment({ scope, employee, onDone }: { scope: HrScope; employee: Employee; onDone: () => void }) {
  const { t } = useTranslation(NS);
  const [lastDay, setLastDay] = useState(localToday());
  const save = useSaveEmployee(scope);
  const submit = () =>
    save.mutate(
      { id: employee.id, update: { end_date: lastDay } },
      {
        onSuccess: () => {
          notifications.show({ color: "teal", message: t("actions.ended", { name: employee.name }) });
          onDone();
        },
      },
    );
  const extra = (save.error as { extra?: { problems?: Record<string, string> } } | null)?.extra;
  return (
    <form onSubmit={(event) => (event.preventDefault(), submit())} data-testid="hr-end-form">
      <Stack>
        <Text size="sm">{t("actions.endHelp")}</Text>
        <TextInput
          type="date"
          label={t("employees.endDate")}
          value={lastDay}
          onChange={(event) => setLastDay(event.currentTarget.value)}
          error={extra?.problems?.end_date}
          required
          data-testid="hr-end-date"
        />
        {save.error && !extra?.problems?.end_date && (
          <Alert color="red" role="alert">
            {errorMessage(save.error, t("actions.failed"))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("checklists.cancel")}
          </Button>
          <Button type="submit" color="red" loading={save.isPending} disabled={!lastDay} data-testid="hr-end-save">
            {t("actions.end")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
