/**
 * The tenant's support channels: add one (its secret shown once), change it, rotate its secret
 * (the new one shown once), delete one that has no tickets (the refusal said plainly otherwise).
 */
import "./i18n";
import { Badge, Button, Code, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal, RowActions } from "../admin/dialogs";
import { useDialog } from "../admin/useDialog";
import { api, ApiError, unwrap } from "../api/client";
import { QueryState } from "../components/QueryState";
import { type Channel, type ChannelDraft, ChannelForm } from "./ChannelForm";
import { NS } from "./i18n";
import { NeedsTenant } from "./NeedsTenant";
import { type SupportScope, supportKey, useChannels } from "./queries";
import { type ChannelWithSecret, SecretView } from "./SecretView";

type Scope = SupportScope & { tenantId: string };

export function Component() {
  return <NeedsTenant>{(scope) => <Channels scope={scope} />}</NeedsTenant>;
}

function Channels({ scope }: { scope: Scope }) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const channels = useChannels(scope.tenantId, scope.headers);
  const [creating, setCreating] = useState(false);
  // Set once a create or rotate answers: the one time its secret can be shown.
  const [secret, setSecret] = useState<ChannelWithSecret | null>(null);
  const editing = useDialog<Channel>();
  const rotating = useDialog<Channel>();
  const deleting = useDialog<Channel>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: supportKey(scope.tenantId) });

  const create = useMutation({
    mutationFn: (draft: ChannelDraft) => unwrap(api.POST("/api/v1/support/channels", { body: draft, ...scope.headers })),
    onSuccess: async (channel) => {
      setCreating(false);
      setSecret(channel);
      notifications.show({ color: "teal", message: t("channels.created", { name: channel.name }) });
      await refresh();
    },
  });
  const save = useMutation({
    mutationFn: ({ id, draft }: { id: string; draft: ChannelDraft }) =>
      unwrap(
        api.PATCH("/api/v1/support/channels/{channel_id}", {
          params: { path: { channel_id: id } },
          body: draft,
          ...scope.headers,
        }),
      ),
    onSuccess: async () => {
      editing.close();
      notifications.show({ color: "teal", message: t("channels.saved") });
      await refresh();
    },
  });

  async function rotate(channel: Channel) {
    const rotated = await unwrap(
      api.POST("/api/v1/support/channels/{channel_id}/secret", { params: { path: { channel_id: channel.id } }, ...scope.headers }),
    );
    setSecret(rotated);
  }

  async function remove(channel: Channel) {
    try {
      await unwrap(
        api.DELETE("/api/v1/support/channels/{channel_id}", { params: { path: { channel_id: channel.id } }, ...scope.headers }),
      );
    } catch (error) {
      // The server's refusal, in the reader's language: a channel with tickets stays.
      if (error instanceof ApiError && error.status === 409) throw new ApiError(409, t("channels.hasTickets"));
      throw error;
    }
    notifications.show({ color: "teal", message: t("channels.deleted", { name: channel.name }) });
    await refresh();
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Title order={3}>{t("channels.title")}</Title>
        <Button
          leftSection={<IconPlus size={18} />}
          onClick={() => {
            create.reset();
            setCreating(true);
          }}
        >
          {t("channels.create")}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t("channels.intro")}
      </Text>
      <QueryState query={channels} empty={(list) => list.length === 0} emptyText={t("channels.empty")}>
        {(list) => <ChannelTable channels={list} onEdit={editing.open} onRotate={rotating.open} onDelete={deleting.open} />}
      </QueryState>

      <Modal opened={creating} onClose={() => setCreating(false)} title={t("channels.createTitle")} centered>
        <ChannelForm
          submitLabel={t("channels.create")}
          pending={create.isPending}
          error={create.error}
          onSubmit={(draft) => create.mutate(draft)}
          onCancel={() => setCreating(false)}
        />
      </Modal>
      <Modal
        opened={secret !== null}
        onClose={() => setSecret(null)}
        title={t("channels.secretTitle")}
        centered
        size="lg"
        // A stray click must not lose the secret for good.
        closeOnClickOutside={false}
      >
        {secret && <SecretView channel={secret} onDone={() => setSecret(null)} />}
      </Modal>
      <Modal
        opened={editing.opened}
        onClose={editing.close}
        title={t("channels.editTitle", { name: editing.target?.name })}
        centered
      >
        {editing.target && (
          <ChannelForm
            key={editing.target.id}
            channel={editing.target}
            submitLabel={tc("common.save")}
            pending={save.isPending}
            error={save.error}
            onSubmit={(draft) => save.mutate({ id: editing.target!.id, draft })}
            onCancel={editing.close}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={rotating.opened}
        onClose={rotating.close}
        title={t("channels.rotateTitle", { name: rotating.target?.name })}
        confirmLabel={t("channels.rotate")}
        color="orange"
        onConfirm={() => rotate(rotating.target!)}
      >
        {t("channels.rotateText")}
      </ConfirmModal>
      <ConfirmModal
        opened={deleting.opened}
        onClose={deleting.close}
        title={t("channels.deleteTitle", { name: deleting.target?.name })}
        confirmLabel={t("channels.delete")}
        color="red"
        onConfirm={() => remove(deleting.target!)}
      >
        {t("channels.deleteText")}
      </ConfirmModal>
    </Stack>
  );
}

interface ChannelTableProps {
  channels: Channel[];
  onEdit: (channel: Channel) => void;
  onRotate: (channel: Channel) => void;
  onDelete: (channel: Channel) => void;
}

function ChannelTable({ channels, onEdit, onRotate, onDelete }: ChannelTableProps) {
  const { t } = useTranslation(NS);
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table striped highlightOnHover verticalSpacing="sm" data-testid="channel-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("channels.name")}</Table.Th>
            <Table.Th>{t("channels.address")}</Table.Th>
            <Table.Th>{t("channels.sender")}</Table.Th>
            <Table.Th>{t("channels.autoAck")}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t("channels.actions")}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {channels.map((channel) => (
            <Table.Tr key={channel.id} data-channel={channel.name}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  <bdi>{channel.name}</bdi>
                </Text>
              </Table.Td>
              <Table.Td>
                <Code dir="ltr">{channel.address}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <bdi>{channel.from_name}</bdi>
                </Text>
                <Text size="xs" c="dimmed" dir="ltr" ta="start">
                  {channel.from_address}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={channel.auto_ack ? "teal" : "gray"}>
                  {channel.auto_ack ? t("channels.autoAckOn") : t("channels.autoAckOff")}
                </Badge>
              </Table.Td>
              <Table.Td>
                <RowActions label={t("channels.rowActions", { name: channel.name })}>
                  <Button size="xs" variant="light" onClick={() => onEdit(channel)}>
                    {t("channels.edit")}
                  </Button>
                  <Button size="xs" variant="light" color="orange" onClick={() => onRotate(channel)}>
                    {t("channels.rotate")}
                  </Button>
                  <Button size="xs" variant="light" color="red" onClick={() => onDelete(channel)}>
                    {t("channels.delete")}
                  </Button>
                </RowActions>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
