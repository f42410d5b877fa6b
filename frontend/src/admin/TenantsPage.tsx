/**
 * /console/tenants: the provider admin's client companies. Onboard one (slug, name, plan, time zone,
 * services, and its first client admin, invited by email), change its name, plan and services, open
 * its users, suspend it with a reason its people will read, or reactivate it. (Manifests in
 * tenants/*.toml do the same as reviewed files.)
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconBuildingPlus, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, unwrap } from "../api/client";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatDate } from "../lib/format";
import type { TenantOut } from "../lib/tenants";
import { ConfirmModal, RowActions } from "./dialogs";
import { FormAlert } from "./FormAlert";
import { Paging } from "./Paging";
import { formProblems } from "./problems";
import { StatusBadge } from "./StatusBadge";
import { TenantForm } from "./TenantForm";
import { useDialog } from "./useDialog";
import { usePaging } from "./usePaging";
import { LIMITS } from "../lib/limits";

const PAGE_SIZE = 25;
type StatusFilter = "all" | "active" | "suspended";

export function Component() {
  const { t, i18n } = useTranslation("admin");
  const queryClient = useQueryClient();
  const paging = usePaging(PAGE_SIZE);
  const [status, setStatus] = useState<StatusFilter>("all");
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const tenants = useQuery({
    queryKey: ["tenants", "list", status, q, paging.limit, paging.offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/tenants", {
          params: {
            query: {
              limit: paging.limit,
              offset: paging.offset,
              status: status === "all" ? undefined : status,
              q: q || undefined,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const [creating, setCreating] = useState(false);
  const edit = useDialog<TenantOut>();
  const suspend = useDialog<TenantOut>();
  const reactivate = useDialog<TenantOut>();
  const reactivateTarget = reactivate.target;

  async function reactivateTenant(tenant: TenantOut) {
    await unwrap(api.POST("/api/v1/tenants/{tenant_id}/reactivate", { params: { path: { tenant_id: tenant.id } } }));
    await queryClient.invalidateQueries({ queryKey: ["tenants"] });
    notifications.show({ color: "teal", message: t("tenants.reactivatedNotice", { name: tenant.name }) });
  }

  const filtered = status !== "all" || q !== "";

  return (
    <>
      <PageHeader title={t("tenants.title")}>
        <Button leftSection={<IconBuildingPlus size={18} />} onClick={() => setCreating(true)}>
          {t("tenants.create")}
        </Button>
      </PageHeader>
      <Group mb="md" gap="sm" wrap="wrap">
        <TextInput
          aria-label={t("tenants.search")}
          placeholder={t("tenants.search")}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            paging.setPage(1);
          }}
          w={260}
          maw="100%"
        />
        <SegmentedControl
          aria-label={t("status.label")}
          value={status}
          onChange={(value) => {
            setStatus(value as StatusFilter);
            paging.setPage(1);
          }}
          data={[
            { value: "all", label: t("tenants.all") },
            { value: "active", label: t("status.active") },
            { value: "suspended", label: t("status.suspended") },
          ]}
        />
      </Group>
      <QueryState
        query={tenants}
        empty={(page) => !page.total}
        emptyText={filtered ? t("tenants.noMatch") : t("tenants.empty")}
      >
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={760} type="native">
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("tenants.name")}</Table.Th>
                    <Table.Th>{t("tenants.plan")}</Table.Th>
                    <Table.Th>{t("tenants.timezone")}</Table.Th>
                    <Table.Th>{t("tenants.services")}</Table.Th>
                    <Table.Th>{t("status.label")}</Table.Th>
                    <Table.Th>{t("tenants.since")}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t("actions")}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(page.items ?? []).map((tenant) => (
                    <Table.Tr key={tenant.id} data-tenant={tenant.slug}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {tenant.name}
                        </Text>
                        <Text size="xs" c="dimmed" dir="ltr" span>
                          {tenant.slug}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="outline">{t(`plan.${tenant.plan}`, { defaultValue: tenant.plan })}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" dir="ltr" span>
                          {tenant.timezone}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {tenant.services.map((service) => (
                            <Badge key={service} variant="light" color="gray" size="sm">
                              {t(`service.${service}`, { defaultValue: service })}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={tenant.status} />
                        {tenant.suspended_reason && (
                          <Text size="xs" c="dimmed" maw={220}>
                            {tenant.suspended_reason}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(tenant.created_at, i18n.language, tenant.timezone)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <RowActions label={t("actionsFor", { name: tenant.name })}>
                          <Button
                            size="compact-xs"
                            variant="light"
                            component={Link}
                            to={`/console/tenants/${tenant.id}/users`}
                          >
                            {t("tenants.users")}
                          </Button>
                          <Button size="compact-xs" variant="light" onClick={() => edit.open(tenant)}>
                            {t("tenants.edit")}
                          </Button>
                          {tenant.status === "suspended" ? (
                            <Button size="compact-xs" variant="subtle" onClick={() => reactivate.open(tenant)}>
                              {t("tenants.reactivate")}
                            </Button>
                          ) : (
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => suspend.open(tenant)}>
                              {t("tenants.suspend")}
                            </Button>
                          )}
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

      <Modal opened={creating} onClose={() => setCreating(false)} title={t("tenants.createTitle")} centered size="lg">
        <TenantForm onDone={() => setCreating(false)} />
      </Modal>
      <Modal
        opened={edit.opened}
        onClose={edit.close}
        title={t("tenants.editTitle", { name: edit.target?.name })}
        centered
        size="lg"
      >
        {edit.target && <TenantForm tenant={edit.target} onDone={edit.close} />}
      </Modal>
      <Modal
        opened={suspend.opened}
        onClose={suspend.close}
        title={t("tenants.suspendTitle", { name: suspend.target?.name })}
        centered
      >
        {suspend.target && <SuspendForm tenant={suspend.target} onDone={suspend.close} />}
      </Modal>
      <ConfirmModal
        opened={reactivate.opened}
        onClose={reactivate.close}
        title={t("tenants.reactivateTitle", { name: reactivateTarget?.name })}
        confirmLabel={t("tenants.reactivate")}
        onConfirm={() => reactivateTenant(reactivateTarget!)}
      >
        {t("tenants.reactivateText")}
      </ConfirmModal>
    </>
  );
}

function SuspendForm({ tenant, onDone }: { tenant: TenantOut; onDone: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const suspend = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/tenants/{tenant_id}/suspend", {
          params: { path: { tenant_id: tenant.id } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["tenants"] });
      notifications.show({ color: "teal", message: t("tenants.suspendedNotice", { name: tenant.name }) });
      onDone();
    },
  });
  const problems = formProblems(suspend.error, ["reason"]);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        suspend.mutate();
      }}
    >
      <Stack>
        <Text size="sm">{t("tenants.suspendText")}</Text>
        <FormAlert error={suspend.error} problems={problems} />
        <Textarea
          label={t("tenants.reason")}
          description={t("tenants.reasonHelp")}
          autosize
          minRows={2}
          maxLength={LIMITS.suspensionReason}
          data-autofocus
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={problems.fields.reason}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common:common.cancel")}
          </Button>
          <Button type="submit" color="red" loading={suspend.isPending}>
            {t("tenants.suspend")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
