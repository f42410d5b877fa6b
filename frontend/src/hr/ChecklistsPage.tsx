/**
 * A client's checklist templates: onboarding and offboarding tasks, each with an owner (the provider or
 * the client) and a due day in business days from the case's day. Added and deleted here (the manifest's
 * `[[hr.checklists]]` writes the same templates).
 */
import "./i18n";
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { errorMessage, QueryState } from "../components/QueryState";
import { WithTenant } from "./HrSection";
import { NS } from "./i18n";
import { type ChecklistIn, type HrScope, useChecklists } from "./queries";

type TaskDraft = ChecklistIn["tasks"][number];
const BLANK_TASK: TaskDraft = { title: "", owner: "provider", due_days: 0 };

export function Component() {
  return <WithTenant>{(scope) => <Checklists scope={scope} />}</WithTenant>;
}

function Checklists({ scope }: { scope: HrScope }) {
  const { t } = useTranslation(NS);
  const me = useMe();
  const queryClient = useQueryClient();
  const checklists = useChecklists(scope);
  const [adding, setAdding] = useState(false);
  const mayEdit = scope.inConsole || me.role === "client_admin";
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["hrcases"] });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/hr/checklists/{template_id}", { params: { path: { template_id: id } } })),
    onSuccess: refresh,
  });
  return (
    <>
      {mayEdit && (
        <Group justify="flex-end" mb="md">
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="hr-add-checklist">
            {t("checklists.add")}
          </Button>
        </Group>
      )}
      <QueryState query={checklists} empty={(data) => data.length === 0} emptyText={t("checklists.empty")}>
        {(data) => (
          <Stack>
            {data.map((checklist) => (
              <Card withBorder key={checklist.id} data-testid="hr-checklist">
                <Group justify="space-between" mb="xs">
                  <Group gap="xs">
                    <Title order={4}>{checklist.name}</Title>
                    <Badge variant="light">{t(`cases.kind_${checklist.kind}`)}</Badge>
                  </Group>
                  {mayEdit && (
                    <Button
                      variant="subtle"
                      color="red"
                      size="xs"
                      onClick={() =>
                        remove.mutate(checklist.id, {
                          onSuccess: () =>
                            notifications.show({ color: "teal", message: t("checklists.deleted", { name: checklist.name }) }),
                        })
                      }
                    >
                      {t("checklists.delete")}
                    </Button>
                  )}
                </Group>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("checklists.taskTitle")}</Table.Th>
                      <Table.Th>{t("checklists.owner")}</Table.Th>
                      <Table.Th>{t("checklists.dueDays")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {checklist.tasks.map((task, index) => (
                      <Table.Tr key={index}>
                        <Table.Td>{task.title}</Table.Td>
                        <Table.Td>{t(`cases.owner_${task.owner ?? "provider"}`)}</Table.Td>
                        <Table.Td>{task.due_days ?? 0}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            ))}
          </Stack>
        )}
      </QueryState>
      <Modal opened={adding} onClose={() => setAdding(false)} title={t("checklists.add")} size="lg">
        {adding && <ChecklistForm scope={scope} onDone={() => setAdding(false)} />}
      </Modal>
    </>
  );
}

function ChecklistForm({ scope, onDone }: { scope: HrScope; onDone: () => void }) {
  const { t } = useTranslation(NS);
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<ChecklistIn["kind"]>("onboarding");
  const [tasks, setTasks] = useState<TaskDraft[]>([{ ...BLANK_TASK }]);
  const create = useMutation({
    mutationFn: (body: ChecklistIn) => unwrap(api.POST("/api/v1/hr/checklists", { body, ...scope.headers })),
    onSuccess: async (made) => {
      notifications.show({ color: "teal", message: t("checklists.created", { name: made.name }) });
      await queryClient.invalidateQueries({ queryKey: ["hrcases"] });
      onDone();
    },
  });
  const change = (index: number, patch: Partial<TaskDraft>) =>
    setTasks((current) => current.map((task, at) => (at === index ? { ...task, ...patch } : task)));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name, kind, tasks });
      }}
    >
      <Stack>
        <TextInput label={t("checklists.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
        <Select
          label={t("checklists.kind")}
          data={["onboarding", "offboarding"].map((value) => ({ value, label: t(`cases.kind_${value}`) }))}
          value={kind}
          onChange={(value) => value && setKind(value as ChecklistIn["kind"])}
          allowDeselect={false}
        />
        <Text fw={500} size="sm">
          {t("checklists.tasks")}
        </Text>
        {tasks.map((task, index) => (
          <Group key={index} align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t("checklists.taskTitle")}
              value={task.title}
              onChange={(e) => change(index, { title: e.currentTarget.value })}
              required
              flex={1}
            />
            <Select
              label={t("checklists.owner")}
              data={["provider", "client"].map((value) => ({ value, label: t(`cases.owner_${value}`) }))}
              value={task.owner ?? "provider"}
              onChange={(value) => value && change(index, { owner: value as TaskDraft["owner"] })}
              allowDeselect={false}
              w={140}
            />
            <NumberInput
              label={t("checklists.dueDays")}
              value={task.due_days ?? 0}
              onChange={(value) => change(index, { due_days: Number(value) || 0 })}
              min={-250}
              max={250}
              w={120}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t("checklists.removeTask")}
              disabled={tasks.length === 1}
              onClick={() => setTasks((current) => current.filter((_, at) => at !== index))}
              mb={4}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setTasks((c) => [...c, { ...BLANK_TASK }])}>
          {t("checklists.addTask")}
        </Button>
        {create.error && (
          <Text c="red" size="sm" role="alert">
            {errorMessage(create.error, "")}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("checklists.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("checklists.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
