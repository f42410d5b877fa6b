/**
 * /console/staff: the provider's people. What an agent may claim from the queue is decided here:
 * their skills (which services), their tenant assignments (whose work) and their capacity (how many
 * items at once). Adding someone sends them an invitation to set a password.
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconUserPlus } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { type TenantOut, useTenants } from "../lib/tenants";
import { STAFF_ROLES } from "./catalog";
import { ConfirmModal, RowActions } from "./dialogs";
import { FormAlert } from "./FormAlert";
import { Paging } from "./Paging";
import { formProblems } from "./problems";
import { StatusBadge } from "./StatusBadge";
import { useDialog } from "./useDialog";
import { usePaging } from "./usePaging";
import { LIMITS } from "../lib/limits";

type Staff = Schemas["Staff"];
type StaffRole = (typeof STAFF_ROLES)[number];

const PAGE_SIZE = 25;
const MAX_CAPACITY = 1000;
/** Beyond this many tenants a row shows a count, with the names in a tooltip. */
const TENANTS_SHOWN = 3;

function useSkills() {
  return useQuery({
    queryKey: ["skills"],
    queryFn: () => unwrap(api.GET("/api/v1/skills")),
    staleTime: 10 * 60_000,
  });
}

/** Skills are named after the services they do: in the reader's language when known, else as the API names them. */
function useSkillName(): (code: string) => string {
  const { t } = useTranslation("admin");
  const skills = useSkills();
  return (code) =>
    t(`service.${code}`, { defaultValue: skills.data?.find((skill) => skill.code === code)?.name ?? code });
}

export function Component() {
  const { t, i18n } = useTranslation("admin");
  const me = useMe();
  const queryClient = useQueryClient();
  const paging = usePaging(PAGE_SIZE);
  const staff = useQuery({
    queryKey: ["staff", paging.limit, paging.offset],
    queryFn: () =>
      unwrap(api.GET("/api/v1/staff", { params: { query: { limit: paging.limit, offset: paging.offset } } })),
    placeholderData: keepPreviousData,
  });
  const tenants = useTenants();
  const tenantsById = new Map((tenants.data?.items ?? []).map((tenant) => [tenant.id, tenant]));
  const skillName = useSkillName();
  const [adding, setAdding] = useState(false);
  const edit = useDialog<Staff>();
  const statusChange = useDialog<Staff>();
  const statusTarget = statusChange.target;
  const deactivating = statusTarget?.status !== "deactivated";

  async function changeStatus(member: Staff) {
    await unwrap(
      api.PATCH("/api/v1/staff/{staff_id}", {
        params: { path: { staff_id: member.id } },
        body: { status: deactivating ? "deactivated" : "active" },
      }),
    );
    await queryClient.invalidateQueries({ queryKey: ["staff"] });
    notifications.show({
      color: "teal",
      message: t(deactivating ? "staff.deactivatedNotice" : "staff.reactivatedNotice", { name: member.name }),
    });
  }

  return (
    <>
      <PageHeader title={t("staff.title")}>
        <Button leftSection={<IconUserPlus size={18} />} onClick={() => setAdding(true)}>
          {t("staff.add")}
        </Button>
      </PageHeader>
      <Text c="dimmed" size="sm" mb="md">
        {t("staff.intro")}
      </Text>
      <QueryState query={staff} empty={(page) => !page.total} emptyText={t("staff.empty")}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={760} type="native">
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("staff.person")}</Table.Th>
                    <Table.Th>{t("staff.role")}</Table.Th>
                    <Table.Th>{t("staff.skills")}</Table.Th>
                    <Table.Th>{t("staff.tenants")}</Table.Th>
                    <Table.Th>{t("staff.capacity")}</Table.Th>
                    <Table.Th>{t("status.label")}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t("actions")}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(page.items ?? []).map((member) => (
                    <Table.Tr key={member.id} data-staff={member.email}>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text size="sm" fw={500}>
                            {member.name}
                          </Text>
                          {member.id === me.id && (
                            <Badge size="xs" variant="outline">
                              {t("you")}
                            </Badge>
                          )}
                        </Group>
                        <Text size="xs" c="dimmed" dir="ltr" span>
                          {member.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={member.role === "provider_admin" ? "indigo" : "gray"}
                          miw="max-content"
                        >
                          {t(`role.${member.role}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {member.skills.length ? (
                            member.skills.map((code) => (
                              <Badge key={code} size="sm" variant="light" color="grape">
                                {skillName(code)}
                              </Badge>
                            ))
                          ) : (
                            <Text size="sm" c="dimmed">
                              {t("staff.noSkills")}
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <TenantBadges ids={member.tenant_ids} tenantsById={tenantsById} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatNumber(member.capacity, i18n.language)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={member.status} />
                      </Table.Td>
                      <Table.Td>
                        <RowActions label={t("actionsFor", { name: member.name })}>
                          <Button size="compact-xs" variant="light" onClick={() => edit.open(member)}>
                            {t("staff.edit")}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color={member.status === "deactivated" ? undefined : "red"}
                            onClick={() => statusChange.open(member)}
                          >
                            {member.status === "deactivated" ? t("staff.reactivate") : t("staff.deactivate")}
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

      <Modal opened={adding} onClose={() => setAdding(false)} title={t("staff.addTitle")} centered size="lg">
        <StaffForm onDone={() => setAdding(false)} />
      </Modal>
      <Modal
        opened={edit.opened}
        onClose={edit.close}
        title={t("staff.editTitle", { name: edit.target?.name })}
        centered
        size="lg"
      >
        {edit.target && <StaffForm member={edit.target} onDone={edit.close} />}
      </Modal>
      <ConfirmModal
        opened={statusChange.opened}
        onClose={statusChange.close}
        title={deactivating ? t("staff.deactivate") : t("staff.reactivate")}
        confirmLabel={deactivating ? t("staff.deactivate") : t("staff.reactivate")}
        color={deactivating ? "red" : undefined}
        onConfirm={() => changeStatus(statusTarget!)}
      >
        {t(deactivating ? "staff.deactivateText" : "staff.reactivateText", { name: statusTarget?.name })}
      </ConfirmModal>
    </>
  );
}

function TenantBadges({ ids, tenantsById }: { ids: string[]; tenantsById: Map<string, TenantOut> }) {
  const { t, i18n } = useTranslation("admin");
  if (!ids.length) {
    return (
      <Text size="sm" c="dimmed">
        {t("staff.noTenants")}
      </Text>
    );
  }
  const names = ids.map((id) => tenantsById.get(id)?.name ?? id.slice(0, 8));
  const rest = names.slice(TENANTS_SHOWN);
  return (
    <Group gap={4}>
      {names.slice(0, TENANTS_SHOWN).map((name, index) => (
        <Badge key={ids[index]} size="sm" variant="outline" color="gray" tt="none">
          {name}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.join(", ")} multiline maw={320}>
          <Badge size="sm" variant="light" color="gray" tt="none" tabIndex={0}>
            {t("staff.moreTenants", { number: formatNumber(rest.length, i18n.language) })}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

const STAFF_FIELDS = ["email", "name", "role", "skills", "tenants", "capacity"] as const;

/** Add a staff member (no `member`: the API invites them), or change one's role, skills, tenants and capacity. */
function StaffForm({ member, onDone }: { member?: Staff; onDone: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const skills = useSkills();
  const skillName = useSkillName();
  const tenants = useTenants();
  const [email, setEmail] = useState("");
  const [name, setName] = useState(member?.name ?? "");
  const [role, setRole] = useState<StaffRole>((member?.role as StaffRole) ?? "provider_agent");
  const [skillCodes, setSkillCodes] = useState<string[]>(member?.skills ?? []);
  const [tenantIds, setTenantIds] = useState<string[]>(member?.tenant_ids ?? []);
  const [capacity, setCapacity] = useState<number | string>(member?.capacity ?? 5);
  const [submitted, setSubmitted] = useState(false);

  const save = useMutation({
    mutationFn: (): Promise<Staff> => {
      const fields = { name: name.trim(), role, skills: skillCodes, tenants: tenantIds, capacity: Number(capacity) };
      if (member) {
        return unwrap(
          api.PATCH("/api/v1/staff/{staff_id}", { params: { path: { staff_id: member.id } }, body: fields }),
        );
      }
      return unwrap(api.POST("/api/v1/staff", { body: { ...fields, email: email.trim() } }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ["staff"] });
      notifications.show({
        color: "teal",
        message: member
          ? t("staff.savedNotice", { name: saved.name })
          : t("staff.invitedNotice", { email: saved.email }),
      });
      onDone();
    },
  });
  const problems = formProblems(save.error, STAFF_FIELDS);
  const invalid = {
    email: !member && !/^\S+@\S+$/.test(email.trim()),
    name: !name.trim(),
    capacity:
      !Number.isInteger(Number(capacity)) || capacity === "" || Number(capacity) < 0 || Number(capacity) > MAX_CAPACITY,
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!Object.values(invalid).some(Boolean)) save.mutate();
  }

  const shown = (field: keyof typeof invalid, message: string) => (submitted && invalid[field] && message) || undefined;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {!member && (
          <Text size="sm" c="dimmed">
            {t("staff.addText")}
          </Text>
        )}
        <FormAlert error={save.error} problems={problems} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {member ? (
            <TextInput label={t("staff.email")} value={member.email} dir="ltr" readOnly variant="filled" />
          ) : (
            <TextInput
              label={t("staff.email")}
              type="email"
              autoComplete="off"
              dir="ltr"
              maxLength={LIMITS.email}
              withAsterisk
              data-autofocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={shown("email", t("form.emailNeeded")) ?? problems.fields.email}
            />
          )}
          <TextInput
            label={t("staff.name")}
            withAsterisk
            maxLength={LIMITS.name}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={shown("name", t("form.required")) ?? problems.fields.name}
          />
          <Select
            label={t("staff.role")}
            allowDeselect={false}
            value={role}
            onChange={(value) => value && setRole(value as StaffRole)}
            data={STAFF_ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
            error={problems.fields.role}
          />
          <NumberInput
            label={t("staff.capacity")}
            description={t("staff.capacityHelp")}
            min={0}
            max={MAX_CAPACITY}
            allowDecimal={false}
            allowNegative={false}
            value={capacity}
            onChange={(value) => setCapacity(value)}
            error={shown("capacity", t("staff.capacityInvalid", { max: MAX_CAPACITY })) ?? problems.fields.capacity}
          />
        </SimpleGrid>
        <MultiSelect
          label={t("staff.skills")}
          description={t("staff.skillsHelp")}
          placeholder={skillCodes.length ? undefined : t("staff.noSkills")}
          value={skillCodes}
          onChange={setSkillCodes}
          data={(skills.data ?? []).map((skill) => ({ value: skill.code, label: skillName(skill.code) }))}
          disabled={skills.isPending}
          error={problems.fields.skills ?? (skills.error ? t("staff.skillsUnavailable") : undefined)}
        />
        <MultiSelect
          label={t("staff.tenants")}
          description={t("staff.tenantsHelp")}
          placeholder={tenantIds.length ? undefined : t("staff.noTenants")}
          searchable
          nothingFoundMessage={t("nothingFound")}
          value={tenantIds}
          onChange={setTenantIds}
          data={(tenants.data?.items ?? []).map((tenant) => ({ value: tenant.id, label: tenant.name }))}
          disabled={tenants.isPending}
          error={problems.fields.tenants ?? (tenants.error ? t("staff.tenantsUnavailable") : undefined)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common:common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {member ? t("common:common.save") : t("staff.sendInvite")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
