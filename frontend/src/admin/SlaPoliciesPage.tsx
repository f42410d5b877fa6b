/**
 * /console/sla-policies: the provider's default SLA targets per plan, service and priority, in
 * business minutes of each tenant's calendar. Each plan is a table of services × priorities. The
 * "any service" (`*`) row is the plan's fallback and can only be changed; a service's own target
 * overrides it and can be removed again. A tenant's contract targets (its manifest's [sla]) override
 * both; changes apply to items queued from now on.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { PriorityBadge } from "../components/Badges";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatMinutes, formatNumber } from "../lib/format";
import { ANY_SERVICE, PLANS, PRIORITIES, SERVICES } from "./catalog";
import { ConfirmModal } from "./dialogs";
import { FormAlert } from "./FormAlert";
import { formProblems } from "./problems";
import { checkPolicy, MAX_MINUTES, wholeBetween } from "./slaPolicyForm";
import { useDialog } from "./useDialog";

type Policy = Schemas["SlaPolicyOut"];
type PolicyKey = Pick<Policy, "plan" | "service_type" | "priority">;

/** What the edit dialog is about: a key, the row that applies to it today, and whether that row is its own. */
interface EditTarget {
  key: PolicyKey;
  current: Policy | undefined;
  own: boolean;
}

// Plans × (built-in services + "*") × priorities is under a hundred rows: one request holds them all.
const ALL_ROWS = 200;

function samePolicy(a: PolicyKey, b: PolicyKey): boolean {
  return a.plan === b.plan && a.service_type === b.service_type && a.priority === b.priority;
}

/** Known codes in their usual order, then any the server has that this screen does not know. */
function ordered(known: readonly string[], found: string[]): string[] {
  return [...known.filter((code) => found.includes(code)), ...found.filter((code) => !known.includes(code)).sort()];
}

export function Component() {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const [plan, setPlan] = useState<string>("all");
  const policies = useQuery({
    queryKey: ["sla-policies", plan],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/sla/policies", {
          params: { query: { limit: ALL_ROWS, plan: plan === "all" ? undefined : plan } },
        }),
      ),
  });
  const edit = useDialog<EditTarget>();
  const remove = useDialog<{ policy: Policy; fallback: Policy | undefined }>();
  const removeTarget = remove.target;

  async function removePolicy(policy: Policy) {
    await unwrap(
      api.DELETE("/api/v1/sla/policies/{plan}/{service_type}/{priority}", {
        params: { path: { plan: policy.plan, service_type: policy.service_type, priority: policy.priority } },
      }),
    );
    await queryClient.invalidateQueries({ queryKey: ["sla-policies"] });
    notifications.show({ color: "teal", message: t("sla.removedNotice") });
  }

  return (
    <>
      <PageHeader title={t("sla.title")} />
      <Text c="dimmed" size="sm" mb="md">
        {t("sla.intro")}
      </Text>
      <SegmentedControl
        mb="md"
        aria-label={t("sla.plan")}
        value={plan}
        onChange={(value) => setPlan(value)}
        data={[
          { value: "all", label: t("sla.allPlans") },
          ...PLANS.map((code) => ({ value: code, label: t(`plan.${code}`) })),
        ]}
      />
      <QueryState query={policies} empty={(page) => !page.items?.length} emptyText={t("sla.empty")}>
        {(page) => {
          const rows = page.items ?? [];
          const plans = ordered(PLANS, [...new Set(rows.map((row) => row.plan))]);
          return (
            <Stack gap="xl">
              {plans.map((code) => (
                <PlanTable
                  key={code}
                  plan={code}
                  rows={rows.filter((row) => row.plan === code)}
                  onEdit={edit.open}
                  onRemove={(policy, fallback) => remove.open({ policy, fallback })}
                />
              ))}
            </Stack>
          );
        }}
      </QueryState>

      <Modal
        opened={edit.opened}
        onClose={edit.close}
        title={edit.target?.own ? t("sla.editTitle") : t("sla.addTitle")}
        centered
      >
        {edit.target && <PolicyForm target={edit.target} onDone={edit.close} />}
      </Modal>
      <ConfirmModal
        opened={remove.opened}
        onClose={remove.close}
        title={t("sla.removeTitle")}
        confirmLabel={t("sla.remove")}
        color="red"
        onConfirm={() => removePolicy(removeTarget!.policy)}
      >
        {removeTarget ? <RemoveText policy={removeTarget.policy} fallback={removeTarget.fallback} /> : null}
      </ConfirmModal>
    </>
  );
}

interface PlanTableProps {
  plan: string;
  rows: Policy[];
  onEdit: (target: EditTarget) => void;
  onRemove: (policy: Policy, fallback: Policy | undefined) => void;
}

/** One plan: a row per service ("any service" first), a column per priority, most urgent first. */
function PlanTable({ plan, rows, onEdit, onRemove }: PlanTableProps) {
  const { t } = useTranslation("admin");
  const services = [
    ANY_SERVICE,
    ...ordered(
      SERVICES,
      [...new Set(rows.map((row) => row.service_type))].filter((code) => code !== ANY_SERVICE),
    ),
  ];
  const priorities = ordered(PRIORITIES, [...new Set(rows.map((row) => row.priority))]);
  const find = (key: PolicyKey) => rows.find((row) => samePolicy(row, key));

  return (
    <section aria-labelledby={`plan-${plan}`} data-plan={plan}>
      <Title order={3} size="h4" mb="xs" id={`plan-${plan}`}>
        {t(`plan.${plan}`, { defaultValue: plan })}
      </Title>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table withTableBorder withColumnBorders verticalSpacing="xs" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={150}>{t("sla.service")}</Table.Th>
              {priorities.map((priority) => (
                <Table.Th key={priority}>
                  <PriorityBadge priority={priority} />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {services.map((service) => (
              <Table.Tr key={service}>
                <Table.Th scope="row" fw={service === ANY_SERVICE ? 700 : 500}>
                  {t(`service.${service}`, { defaultValue: service })}
                </Table.Th>
                {priorities.map((priority) => {
                  const key = { plan, service_type: service, priority };
                  const own = find(key);
                  const fallback = find({ ...key, service_type: ANY_SERVICE });
                  return (
                    <Table.Td key={priority} data-policy={`${plan}/${service}/${priority}`}>
                      <PolicyCell
                        policyKey={key}
                        own={own}
                        onEdit={() => onEdit({ key, current: own ?? fallback, own: !!own })}
                        onRemove={own && service !== ANY_SERVICE ? () => onRemove(own, fallback) : undefined}
                      />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>
        {t("sla.cellLegend")}
      </Text>
    </section>
  );
}

interface PolicyCellProps {
  policyKey: PolicyKey;
  own: Policy | undefined;
  onEdit: () => void;
  onRemove?: () => void;
}

/** A target: first response / resolution as hours and as business minutes, the warning share, and its actions. */
function PolicyCell({ policyKey, own, onEdit, onRemove }: PolicyCellProps) {
  const { t, i18n } = useTranslation("admin");
  const language = i18n.language;
  const label = t("sla.rowLabel", {
    plan: t(`plan.${policyKey.plan}`, { defaultValue: policyKey.plan }),
    service: t(`service.${policyKey.service_type}`, { defaultValue: policyKey.service_type }),
    priority: t(`common:priority.${policyKey.priority}`),
  });
  if (!own) {
    return (
      <Group gap={4} justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed" fs="italic">
          {t("sla.usesAnyService")}
        </Text>
        <Tooltip label={t("sla.setOwn")}>
          <ActionIcon variant="subtle" size="sm" aria-label={`${t("sla.setOwn")}: ${label}`} onClick={onEdit}>
            <IconPlus size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
    );
  }
  return (
    <Group gap={4} justify="space-between" wrap="nowrap" align="flex-start">
      <Stack gap={0}>
        {/* Break at the slash only: "2 h 00 min" split over two lines reads as two numbers. */}
        <Text size="sm" fw={500}>
          <Unbroken>{formatMinutes(own.first_response_minutes, language)}</Unbroken> /{" "}
          <Unbroken>{formatMinutes(own.resolution_minutes, language)}</Unbroken>
        </Text>
        <Text size="xs" c="dimmed">
          {t("sla.cellMinutes", {
            firstResponse: formatNumber(own.first_response_minutes, language),
            resolution: formatNumber(own.resolution_minutes, language),
            warning: formatNumber(own.warning_percent, language),
          })}
        </Text>
      </Stack>
      <Stack gap={0}>
        <Tooltip label={t("sla.edit")}>
          <ActionIcon variant="subtle" size="sm" aria-label={`${t("sla.edit")}: ${label}`} onClick={onEdit}>
            <IconPencil size={14} />
          </ActionIcon>
        </Tooltip>
        {onRemove && (
          <Tooltip label={t("sla.remove")}>
            <ActionIcon
              variant="subtle"
              size="sm"
              color="red"
              aria-label={`${t("sla.remove")}: ${label}`}
              onClick={onRemove}
            >
              <IconTrash size={14} />
            </ActionIcon>
          </Tooltip>
        )}
      </Stack>
    </Group>
  );
}

function Unbroken({ children }: { children: string }) {
  return <span style={{ whiteSpace: "nowrap" }}>{children}</span>;
}

function RemoveText({ policy, fallback }: { policy: Policy; fallback: Policy | undefined }) {
  const { t, i18n } = useTranslation("admin");
  const service = t(`service.${policy.service_type}`, { defaultValue: policy.service_type });
  return (
    <Text size="sm">
      {fallback
        ? t("sla.removeText", {
            service,
            firstResponse: formatMinutes(fallback.first_response_minutes, i18n.language),
            resolution: formatMinutes(fallback.resolution_minutes, i18n.language),
          })
        : t("sla.removeTextPlain", { service })}
    </Text>
  );
}

const POLICY_FIELDS = ["first_response_minutes", "resolution_minutes", "warning_percent"] as const;

/** Change a target, or give a service its own (starting from the plan's "any service" target). */
function PolicyForm({ target, onDone }: { target: EditTarget; onDone: () => void }) {
  const { t, i18n } = useTranslation("admin");
  const queryClient = useQueryClient();
  const { key, current, own } = target;
  const [firstResponse, setFirstResponse] = useState<number | string>(current?.first_response_minutes ?? "");
  const [resolution, setResolution] = useState<number | string>(current?.resolution_minutes ?? "");
  const [warning, setWarning] = useState<number | string>(current?.warning_percent ?? 75);
  const [submitted, setSubmitted] = useState(false);

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/api/v1/sla/policies/{plan}/{service_type}/{priority}", {
          params: { path: key },
          body: {
            first_response_minutes: Number(firstResponse),
            resolution_minutes: Number(resolution),
            warning_percent: Number(warning),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["sla-policies"] });
      notifications.show({ color: "teal", message: t("sla.savedNotice") });
      onDone();
    },
  });
  const problems = formProblems(save.error, POLICY_FIELDS);
  const check = checkPolicy({ firstResponse, resolution, warning });
  // A typed value that is wrong is named at once; an empty field only once the form is sent.
  const shown = (problem: string | null, value: number | string) =>
    problem && (submitted || value !== "") ? t(`sla.${problem}`) : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (check.valid) save.mutate();
  }

  const asHours = (value: number | string) =>
    wholeBetween(value, 1, MAX_MINUTES) ? formatMinutes(Number(value), i18n.language) : t("sla.minutesHelp");

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Group gap="xs">
          <Badge variant="outline">{t(`plan.${key.plan}`, { defaultValue: key.plan })}</Badge>
          <Badge variant="light">{t(`service.${key.service_type}`, { defaultValue: key.service_type })}</Badge>
          <PriorityBadge priority={key.priority} />
        </Group>
        {!own && (
          <Text size="sm" c="dimmed">
            {t("sla.addText")}
          </Text>
        )}
        <FormAlert error={save.error} problems={problems} />
        <NumberInput
          label={t("sla.firstResponseMinutes")}
          description={asHours(firstResponse)}
          min={1}
          max={MAX_MINUTES}
          clampBehavior="none"
          data-autofocus
          value={firstResponse}
          onChange={(value) => setFirstResponse(value)}
          error={shown(check.firstResponse, firstResponse) ?? problems.fields.first_response_minutes}
        />
        <NumberInput
          label={t("sla.resolutionMinutes")}
          description={asHours(resolution)}
          min={1}
          max={MAX_MINUTES}
          clampBehavior="none"
          value={resolution}
          onChange={(value) => setResolution(value)}
          error={shown(check.resolution, resolution) ?? problems.fields.resolution_minutes}
        />
        <NumberInput
          label={t("sla.warningPercent")}
          description={t("sla.warningHelp")}
          min={1}
          max={99}
          clampBehavior="none"
          suffix="%"
          value={warning}
          onChange={(value) => setWarning(value)}
          error={shown(check.warning, warning) ?? problems.fields.warning_percent}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common:common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("common:common.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
