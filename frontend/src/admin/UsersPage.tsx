/**
 * /portal/users: a client admin's people. Invite someone by email (the API mails the invitation),
 * make a person an admin or a member, deactivate or reactivate them. The server refuses changes to
 * yourself that would lock you out, and an address that already has an account; its words are shown
 * in the dialog where you asked. The console shows any tenant's people with the same screen
 * (`TenantUsers` with a tenant id, sent as X-Tenant: see TenantUsersPage).
 */
import { Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconUserPlus } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import { useTenantZone } from "../lib/tenants";
import { CLIENT_ROLES } from "./catalog";
import { ConfirmModal, RowActions } from "./dialogs";
import { FormAlert } from "./FormAlert";
import { Paging } from "./Paging";
import { formProblems } from "./problems";
import { StatusBadge } from "./StatusBadge";
import { useDialog } from "./useDialog";
import { usePaging } from "./usePaging";
import { LIMITS } from "../lib/limits";

type User = Schemas["User"];
type ClientRole = (typeof CLIENT_ROLES)[number];

const PAGE_SIZE = 25;

export function Component() {
  const { t } = useTranslation("admin");
  return <TenantUsers tenantId={null} title={t("users.title")} />;
}

/** A tenant's people: the caller's own (`tenantId` null), or from the console the tenant it names. */
export function TenantUsers({
  tenantId,
  title,
  intro,
}: {
  tenantId: string | null;
  title: ReactNode;
  intro?: ReactNode;
}) {
  const { t, i18n } = useTranslation("admin");
  const me = useMe();
  const zone = useTenantZone(tenantId);
  const queryClient = useQueryClient();
  const paging = usePaging(PAGE_SIZE);
  const users = useQuery({
    queryKey: ["users", tenantId ?? "own", paging.limit, paging.offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/users", {
          params: { query: { limit: paging.limit, offset: paging.offset } },
          ...forTenant(tenantId),
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const [inviting, invite] = useDisclosure(false);
  const roleChange = useDialog<User>();
  const statusChange = useDialog<User>();

  async function update(user: User, body: Schemas["UserUpdate"], done: string) {
    await unwrap(
      api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: user.id } }, body, ...forTenant(tenantId) }),
    );
    await queryClient.invalidateQueries({ queryKey: ["users"] });
    notifications.show({ color: "teal", message: done });
  }

  const roleTarget = roleChange.target;
  const newRole: ClientRole = roleTarget?.role === "client_admin" ? "client_member" : "client_admin";
  const statusTarget = statusChange.target;
  const deactivating = statusTarget?.status !== "deactivated";

  return (
    <>
      <PageHeader title={title}>
        <Button leftSection={<IconUserPlus size={18} />} onClick={invite.open}>
          {t("users.invite")}
        </Button>
      </PageHeader>
      <Text c="dimmed" size="sm" mb="md">
        {intro ?? t("users.intro")}
      </Text>
      <QueryState query={users} empty={(page) => !page.total} emptyText={t("users.empty")}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={720} type="native">
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("users.name")}</Table.Th>
                    <Table.Th>{t("users.email")}</Table.Th>
                    <Table.Th>{t("users.role")}</Table.Th>
                    <Table.Th>{t("status.label")}</Table.Th>
                    <Table.Th>{t("users.added")}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t("actions")}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(page.items ?? []).map((user) => (
                    <Table.Tr key={user.id} data-user={user.email}>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text size="sm" fw={500}>
                            {user.name}
                          </Text>
                          {user.id === me.id && (
                            <Badge size="xs" variant="outline">
                              {t("you")}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text span size="sm" dir="ltr">
                          {user.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={user.role === "client_admin" ? "indigo" : "gray"}
                          miw="max-content"
                        >
                          {t(`role.${user.role}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={user.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(user.created_at, i18n.language, zone)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <RowActions label={t("actionsFor", { name: user.name })}>
                          <Button size="compact-xs" variant="light" onClick={() => roleChange.open(user)}>
                            {user.role === "client_admin" ? t("users.makeMember") : t("users.makeAdmin")}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color={user.status === "deactivated" ? undefined : "red"}
                            onClick={() => statusChange.open(user)}
                          >
                            {user.status === "deactivated" ? t("users.reactivate") : t("users.deactivate")}
                          </Button>
                        </RowActions>
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

      <Modal opened={inviting} onClose={invite.close} title={t("users.inviteTitle")} centered>
        <InviteForm tenantId={tenantId} onDone={invite.close} />
      </Modal>

      <ConfirmModal
        opened={roleChange.opened}
        onClose={roleChange.close}
        title={newRole === "client_admin" ? t("users.makeAdmin") : t("users.makeMember")}
        confirmLabel={newRole === "client_admin" ? t("users.makeAdmin") : t("users.makeMember")}
        onConfirm={() => update(roleTarget!, { role: newRole }, t("users.roleChanged", { name: roleTarget!.name }))}
      >
        {t(newRole === "client_admin" ? "users.makeAdminText" : "users.makeMemberText", { name: roleTarget?.name })}
      </ConfirmModal>

      <ConfirmModal
        opened={statusChange.opened}
        onClose={statusChange.close}
        title={deactivating ? t("users.deactivate") : t("users.reactivate")}
        confirmLabel={deactivating ? t("users.deactivate") : t("users.reactivate")}
        color={deactivating ? "red" : undefined}
        onConfirm={() =>
          update(
            statusTarget!,
            { status: deactivating ? "deactivated" : "active" },
            t(deactivating ? "users.deactivatedNotice" : "users.reactivatedNotice", { name: statusTarget!.name }),
          )
        }
      >
        {t(deactivating ? "users.deactivateText" : "users.reactivateText", { name: statusTarget?.name })}
      </ConfirmModal>
    </>
  );
}

const INVITE_FIELDS = ["email", "name", "role"] as const;

function InviteForm({ tenantId, onDone }: { tenantId: string | null; onDone: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<ClientRole>("client_member");
  const [submitted, setSubmitted] = useState(false);
  const sendInvite = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/users", {
          body: { email: email.trim(), name: name.trim(), role },
          ...forTenant(tenantId),
        }),
      ),
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: ["users"] });
      notifications.show({ color: "teal", message: t("users.invitedNotice", { email: user.email }) });
      onDone();
    },
  });
  const problems = formProblems(sendInvite.error, INVITE_FIELDS);
  const missing = { email: !/^\S+@\S+$/.test(email.trim()), name: !name.trim() };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!missing.email && !missing.name) sendInvite.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t("users.inviteText")}
        </Text>
        <FormAlert error={sendInvite.error} problems={problems} />
        <TextInput
          label={t("users.email")}
          type="email"
          autoComplete="off"
          dir="ltr"
          maxLength={LIMITS.email}
          withAsterisk
          data-autofocus
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            // The server's words were about the address as it was; a new one has not been refused.
            if (problems.fields.email) sendInvite.reset();
          }}
          error={(submitted && missing.email && t("form.emailNeeded")) || problems.fields.email}
        />
        <TextInput
          label={t("users.name")}
          withAsterisk
          maxLength={LIMITS.name}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={(submitted && missing.name && t("form.required")) || problems.fields.name}
        />
        <Select
          label={t("users.role")}
          allowDeselect={false}
          value={role}
          onChange={(value) => value && setRole(value as ClientRole)}
          data={CLIENT_ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
          description={t(`users.roleHelp.${role}`)}
          error={problems.fields.role}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common:common.cancel")}
          </Button>
          <Button type="submit" loading={sendInvite.isPending}>
            {t("users.sendInvite")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
