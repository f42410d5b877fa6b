/**
 * /portal/api-clients: a tenant's machine credentials for the client-credentials grant. The secret
 * is stored hashed, so the create dialog is the one and only place it is ever shown; revoking keeps
 * the client listed (for the audit trail) but its tokens stop working.
 */
import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconKey } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { CopyableValue, CopyValue } from "../components/CopyableValue";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { useTenantZone } from "../lib/tenants";
import { ConfirmModal } from "./dialogs";
import { FormAlert } from "./FormAlert";
import { Paging } from "./Paging";
import { formProblems } from "./problems";
import { StatusBadge } from "./StatusBadge";
import { useDialog } from "./useDialog";
import { usePaging } from "./usePaging";
import { LIMITS } from "../lib/limits";

type ApiClient = Schemas["ApiClientOut"];
type CreatedClient = Schemas["ApiClientCreated"];

const PAGE_SIZE = 25;

export function Component() {
  const { t, i18n } = useTranslation("admin");
  const zone = useTenantZone(null);
  const queryClient = useQueryClient();
  const paging = usePaging(PAGE_SIZE);
  const clients = useQuery({
    queryKey: ["api-clients", paging.limit, paging.offset],
    queryFn: () =>
      unwrap(api.GET("/api/v1/api-clients", { params: { query: { limit: paging.limit, offset: paging.offset } } })),
    placeholderData: keepPreviousData,
  });
  const [creating, setCreating] = useState(false);
  // Set once the API has answered: the dialog then shows the secret instead of the form.
  const [created, setCreated] = useState<CreatedClient | null>(null);
  const revoke = useDialog<ApiClient>();
  const revokeTarget = revoke.target;

  function openCreate() {
    setCreated(null);
    setCreating(true);
  }

  async function revokeClient(client: ApiClient) {
    await unwrap(api.DELETE("/api/v1/api-clients/{api_client_id}", { params: { path: { api_client_id: client.id } } }));
    await queryClient.invalidateQueries({ queryKey: ["api-clients"] });
    notifications.show({ color: "teal", message: t("apiClients.revokedNotice", { name: client.name }) });
  }

  const date = (value: string | null) => formatDateTime(value, i18n.language, zone);

  return (
    <>
      <PageHeader title={t("apiClients.title")}>
        <Button leftSection={<IconKey size={18} />} onClick={openCreate}>
          {t("apiClients.create")}
        </Button>
      </PageHeader>
      <Text c="dimmed" size="sm" mb="md">
        {t("apiClients.intro")}
      </Text>
      <QueryState query={clients} empty={(page) => !page.total} emptyText={t("apiClients.empty")}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={760} type="native">
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("apiClients.name")}</Table.Th>
                    <Table.Th>{t("apiClients.clientId")}</Table.Th>
                    <Table.Th>{t("apiClients.created")}</Table.Th>
                    <Table.Th>{t("apiClients.lastUsed")}</Table.Th>
                    <Table.Th>{t("status.label")}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t("actions")}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(page.items ?? []).map((client) => (
                    <Table.Tr key={client.id} data-client={client.name} c={client.revoked_at ? "dimmed" : undefined}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {client.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Code dir="ltr" title={client.client_id}>
                            {client.client_id.slice(0, 12)}…
                          </Code>
                          <CopyValue value={client.client_id} label={t("apiClients.copyClientId")} copiedLabel={t("copied")} />
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{date(client.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {client.last_used_at ? date(client.last_used_at) : t("apiClients.neverUsed")}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={client.revoked_at ? "revoked" : "active"} />
                        {client.revoked_at && (
                          <Text size="xs" c="dimmed">
                            {date(client.revoked_at)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {!client.revoked_at && (
                          <Button size="xs" variant="light" color="red" onClick={() => revoke.open(client)}>
                            {t("apiClients.revoke")}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Paging total={page.total ?? 0} paging={paging} />
          </>
        )}
      </QueryState>

      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={created ? t("apiClients.createdTitle") : t("apiClients.createTitle")}
        centered
        size={created ? "lg" : "md"}
        // Losing the dialog by a stray click would lose the secret for good.
        closeOnClickOutside={!created}
      >
        {created ? (
          <SecretView client={created} onDone={() => setCreating(false)} />
        ) : (
          <CreateForm onCreated={setCreated} onCancel={() => setCreating(false)} />
        )}
      </Modal>

      <ConfirmModal
        opened={revoke.opened}
        onClose={revoke.close}
        title={t("apiClients.revokeTitle", { name: revokeTarget?.name })}
        confirmLabel={t("apiClients.revoke")}
        color="red"
        onConfirm={() => revokeClient(revokeTarget!)}
      >
        {t("apiClients.revokeText")}
      </ConfirmModal>
    </>
  );
}

function CreateForm({ onCreated, onCancel }: { onCreated: (client: CreatedClient) => void; onCancel: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/api-clients", { body: { name: name.trim() } })),
    onSuccess: async (client) => {
      onCreated(client);
      await queryClient.invalidateQueries({ queryKey: ["api-clients"] });
    },
  });
  const problems = formProblems(create.error, ["name"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (name.trim()) create.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormAlert error={create.error} problems={problems} />
        <TextInput
          label={t("apiClients.name")}
          description={t("apiClients.nameHelp")}
          withAsterisk
          maxLength={LIMITS.name}
          data-autofocus
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={(submitted && !name.trim() && t("form.required")) || problems.fields.name}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("common:common.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("apiClients.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SecretView({ client, onDone }: { client: CreatedClient; onDone: () => void }) {
  const { t } = useTranslation("admin");
  return (
    <Stack>
      <Alert
        color="orange"
        icon={<IconAlertTriangle size={18} />}
        title={t("apiClients.secretWarningTitle")}
        role="alert"
      >
        {t("apiClients.secretWarning")}
      </Alert>
      <CopyableValue
        label={t("apiClients.clientId")}
        value={client.client_id}
        copyLabel={t("apiClients.copyClientId")}
        copiedLabel={t("copied")}
      />
      <CopyableValue
        label={t("apiClients.clientSecret")}
        value={client.client_secret}
        copyLabel={t("apiClients.copySecret")}
        copiedLabel={t("copied")}
      />
      <Group justify="flex-end">
        <Button onClick={onDone} data-autofocus>
          {t("apiClients.secretSaved")}
        </Button>
      </Group>
    </Stack>
  );
}
