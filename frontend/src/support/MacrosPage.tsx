/** The tenant's macros (canned replies): list, add, change, delete; the placeholders listed where they are written. */
import "./i18n";
import { Button, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal, RowActions } from "../admin/dialogs";
import { useDialog } from "../admin/useDialog";
import { api, unwrap } from "../api/client";
import { QueryState } from "../components/QueryState";
import { USER_TEXT } from "../items/userText";
import { formatDateTime } from "../lib/format";
import { NS } from "./i18n";
import { type MacroDraft, MacroForm } from "./MacroForm";
import type { Macro } from "./macros";
import { NeedsTenant } from "./NeedsTenant";
import { type SupportScope, supportKey, useMacros } from "./queries";

type Scope = SupportScope & { tenantId: string };

export function Component() {
  return <NeedsTenant>{(scope) => <Macros scope={scope} />}</NeedsTenant>;
}

function Macros({ scope }: { scope: Scope }) {
  const { t, i18n } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const macros = useMacros(scope.tenantId, scope.headers);
  const [creating, setCreating] = useState(false);
  const editing = useDialog<Macro>();
  const deleting = useDialog<Macro>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: supportKey(scope.tenantId) });

  const create = useMutation({
    mutationFn: (draft: MacroDraft) => unwrap(api.POST("/api/v1/support/macros", { body: draft, ...scope.headers })),
    onSuccess: async (macro) => {
      setCreating(false);
      notifications.show({ color: "teal", message: t("macros.created", { name: macro.name }) });
      await refresh();
    },
  });
  const save = useMutation({
    mutationFn: ({ id, draft }: { id: string; draft: MacroDraft }) =>
      unwrap(
        api.PATCH("/api/v1/support/macros/{macro_id}", { params: { path: { macro_id: id } }, body: draft, ...scope.headers }),
      ),
    onSuccess: async () => {
      editing.close();
      notifications.show({ color: "teal", message: t("macros.saved") });
      await refresh();
    },
  });

  async function remove(macro: Macro) {
    await unwrap(api.DELETE("/api/v1/support/macros/{macro_id}", { params: { path: { macro_id: macro.id } }, ...scope.headers }));
    notifications.show({ color: "teal", message: t("macros.deleted", { name: macro.name }) });
    await refresh();
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Title order={3}>{t("macros.title")}</Title>
        <Button
          leftSection={<IconPlus size={18} />}
          onClick={() => {
            create.reset();
            setCreating(true);
          }}
        >
          {t("macros.create")}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t("macros.intro")}
      </Text>
      <QueryState query={macros} empty={(list) => list.length === 0} emptyText={t("macros.empty")}>
        {(list) => (
          <Table.ScrollContainer minWidth={720} type="native">
            <Table striped highlightOnHover verticalSpacing="sm" data-testid="macro-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="22%">{t("macros.name")}</Table.Th>
                  <Table.Th>{t("macros.body")}</Table.Th>
                  <Table.Th w={170}>{t("macros.updated")}</Table.Th>
                  <Table.Th w={170}>
                    <VisuallyHidden>{t("macros.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((macro) => (
                  <Table.Tr key={macro.id} data-macro={macro.name}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        <bdi>{macro.name}</bdi>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={3} style={USER_TEXT} dir="auto">
                        {macro.body}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(macro.updated_at, i18n.language, scope.zone)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <RowActions label={t("macros.rowActions", { name: macro.name })}>
                        <Button size="xs" variant="light" onClick={() => editing.open(macro)}>
                          {t("macros.edit")}
                        </Button>
                        <Button size="xs" variant="light" color="red" onClick={() => deleting.open(macro)}>
                          {t("macros.delete")}
                        </Button>
                      </RowActions>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>

      <Modal opened={creating} onClose={() => setCreating(false)} title={t("macros.createTitle")} centered size="lg">
        <MacroForm
          submitLabel={t("macros.create")}
          pending={create.isPending}
          error={create.error}
          onSubmit={(draft) => create.mutate(draft)}
          onCancel={() => setCreating(false)}
        />
      </Modal>
      <Modal opened={editing.opened} onClose={editing.close} title={t("macros.editTitle", { name: editing.target?.name })} centered size="lg">
        {editing.target && (
          <MacroForm
            key={editing.target.id}
            macro={editing.target}
            submitLabel={tc("common.save")}
            pending={save.isPending}
            error={save.error}
            onSubmit={(draft) => save.mutate({ id: editing.target!.id, draft })}
            onCancel={editing.close}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting.opened}
        onClose={deleting.close}
        title={t("macros.deleteTitle", { name: deleting.target?.name })}
        confirmLabel={t("macros.delete")}
        color="red"
        onConfirm={() => remove(deleting.target!)}
      >
        {t("macros.deleteText")}
      </ConfirmModal>
    </Stack>
  );
}
