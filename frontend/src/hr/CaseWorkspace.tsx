/**
 * The HR desk's workspace for one work item (`/console/hr/cases/:itemId`, hr/domain.py's desk): the
 * onboarding or offboarding case on it, its tasks with owners and due dates, ticked off here. The work
 * item cannot go to review or done while a task is open. Provider staff tick any task; the client admin
 * the client's; the portal shows the same page to the client's people.
 */
import "./i18n";
import { Alert, Anchor, Badge, Card, Checkbox, Group, Progress, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCircleCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMe } from "../auth/session";
import { errorMessage, QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { isLate, progress } from "./cases";
import { NS } from "./i18n";
import { type CaseTask, type HrCase, useCases, useHrScope, useTickTask } from "./queries";

export function Component() {
  const { itemId = "" } = useParams();
  const { t } = useTranslation(NS);
  const scope = useHrScope();
  const cases = useCases(scope, { work_item_id: itemId });
  return (
    <QueryState query={cases}>
      {(data) =>
        data.items[0] ? (
          <Workspace found={data.items[0]} inConsole={scope.inConsole} />
        ) : (
          <Text c="dimmed" ta="center" py="xl" data-empty="true">
            {t("cases.notFound")}
          </Text>
        )
      }
    </QueryState>
  );
}

function Workspace({ found, inConsole }: { found: HrCase; inConsole: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const me = useMe();
  const tick = useTickTask();
  const today = new Date().toISOString().slice(0, 10);
  const mayTick = (task: CaseTask) =>
    inConsole || (me.role === "client_admin" && task.owner === "client");
  const itemLink = inConsole ? `/console/items/${found.work_item_id}` : `/portal/items/${found.work_item_id}`;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" wrap="wrap">
          <div>
            <Title order={3} data-testid="hr-case-title">
              {t(`cases.kind_${found.kind}`)}: {found.employee_name}
            </Title>
            <Text size="sm" c="dimmed">
              {found.template_name} · {t("cases.day")} {formatDate(found.reference_date, i18n.language, "UTC")}
            </Text>
          </div>
          <Anchor component={Link} to={itemLink}>
            {t("cases.item")}
          </Anchor>
        </Group>
        <Progress value={progress(found.tasks)} mt="md" aria-label={t("cases.progress")} />
        <Text size="sm" mt={4} data-testid="hr-case-remaining">
          {t("cases.remaining", { count: found.open_tasks })}
        </Text>
      </Card>
      {found.open_tasks === 0 && (
        <Alert color="teal" icon={<IconCircleCheck size={18} />}>
          {t("cases.allDone")}
        </Alert>
      )}
      <Card withBorder>
        <Title order={4} mb="sm">
          {t("cases.tasks")}
        </Title>
        <Table.ScrollContainer minWidth={560}>
          <Table data-testid="hr-case-tasks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={60}>{t("cases.done")}</Table.Th>
                <Table.Th>{t("cases.task")}</Table.Th>
                <Table.Th>{t("cases.owner")}</Table.Th>
                <Table.Th>{t("cases.due")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {found.tasks.map((task) => (
                <Table.Tr key={task.id}>
                  <Table.Td>
                    <Checkbox
                      checked={task.done}
                      disabled={!mayTick(task) || tick.isPending}
                      aria-label={task.title}
                      data-testid={`hr-task-${task.position}`}
                      onChange={(event) =>
                        tick.mutate(
                          { caseId: found.id, taskId: task.id, done: event.currentTarget.checked },
                          {
                            onSuccess: (_, asked) =>
                              notifications.show({
                                color: "teal",
                                message: asked.done ? t("cases.ticked") : t("cases.unticked"),
                              }),
                            onError: (error) => notifications.show({ color: "red", message: errorMessage(error, "") }),
                          },
                        )
                      }
                    />
                  </Table.Td>
                  <Table.Td td={task.done ? "line-through" : undefined}>{task.title}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={task.owner === "client" ? "grape" : "blue"}>
                      {t(`cases.owner_${task.owner}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td c={isLate(task, today) ? "red" : undefined}>
                    {formatDate(task.due_date, i18n.language, "UTC")}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
