/**
 * One work item, for the client in the portal and for staff in the console: its header, the
 * request's answers, the live SLA clock, the conversation, files and history, and the actions the
 * viewer may take (the item's `allowed_transitions` and the viewer's role decide which). In the
 * console, an item of a desk's service type also shows the desk's workspace (desks/registry.ts).
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
  useDirection,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft, IconArrowRight, IconMessageQuestion, IconSend, IconUsers } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router";
import { api, ApiError, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { PriorityBadge, SlaBadge, StateBadge } from "../components/Badges";
import { QueryState } from "../components/QueryState";
import { DeskSlot } from "../desks/DeskSlot";
import { deskWorkspace } from "../desks/registry";
import { formatDateTime, formatNumber } from "../lib/format";
import { useTenantNames, useTenantZone } from "../lib/tenants";
import { AssignAgent } from "./AssignAgent";
import { Attachments } from "./Attachments";
import classes from "./ItemPage.module.css";
import { Conversation } from "./Conversation";
import { History } from "./History";
import { ItemActions } from "./ItemActions";
import { isStaffRole } from "./itemActions";
import { useFailureNotice, useItem, useItemChanged, type WorkItem } from "./itemQueries";
import { parseFields } from "./requestForm";
import { choiceLabel, fieldLabel, humanize, serviceTypeName, useServiceTypes } from "./serviceTypes";
import { SlaClock } from "./SlaClock";
import { USER_TEXT } from "./userText";
import { LIMITS } from "../lib/limits";

export function Component() {
  const { itemId = "" } = useParams();
  const item = useItem(itemId);
  if (item.error instanceof ApiError && item.error.status === 404) return <NotFoundItem />;
  return <QueryState query={item}>{(found) => <ItemView item={found} />}</QueryState>;
}

function useInConsole(): boolean {
  return useLocation().pathname.startsWith("/console");
}

function BackLink() {
  const { t } = useTranslation("items");
  const inConsole = useInConsole();
  // "Back" points left in English and right in Arabic.
  const BackArrow = useDirection().dir === "rtl" ? IconArrowRight : IconArrowLeft;
  return (
    <Anchor component={Link} to={inConsole ? "/console" : "/portal/items"} size="sm">
      <Group gap={4} component="span">
        <BackArrow size={16} aria-hidden />
        {inConsole ? t("item.backToQueue") : t("item.backToList")}
      </Group>
    </Anchor>
  );
}

function NotFoundItem() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" align="flex-start">
      <BackLink />
      <Alert color="gray" title="404" role="alert" data-testid="item-not-found">
        {t("common.notFoundItem")}
      </Alert>
    </Stack>
  );
}

function ItemView({ item }: { item: WorkItem }) {
  const zone = useTenantZone(item.tenant_id);
  // Staff work a desk's item in the desk's workspace, beside the conversation.
  const withDesk = useInConsole() && deskWorkspace(item) !== undefined;
  return (
    <Stack gap="md">
      <BackLink />
      <Header item={item} zone={zone} />
      <ItemActions item={item} />
      <AssignAgent item={item} />
      {item.state === "waiting_on_client" && <WaitingQuestion item={item} />}
      <div className={withDesk ? `${classes.layout} ${classes.withDesk}` : classes.layout}>
        {withDesk && (
          <div className={classes.desk}>
            <DeskSlot item={item} />
          </div>
        )}
        <div className={classes.clock}>
          <SlaClock item={item} zone={zone} />
        </div>
        <Stack gap="lg" className={classes.main}>
          <RequestDetails item={item} />
          <Conversation item={item} zone={zone} />
          <Attachments item={item} zone={zone} />
        </Stack>
        <Stack gap="md" className={classes.side}>
          <Facts item={item} zone={zone} />
          <Paper withBorder p="md">
            <History itemId={item.id} zone={zone} />
          </Paper>
        </Stack>
      </div>
    </Stack>
  );
}

function Header({ item, zone }: { item: WorkItem; zone: string }) {
  const { t } = useTranslation("items");
  const staff = isStaffRole(useMe().role);
  const services = useServiceTypes(staff ? item.tenant_id : undefined);
  const tenantName = useTenantNames();
  const service = services.data?.find((type) => type.code === item.service_type);
  return (
    <Stack gap={6}>
      <Title order={2} style={USER_TEXT}>
        <bdi>{item.title}</bdi>
      </Title>
      <Group gap="xs">
        <StateBadge state={item.state} />
        <PriorityBadge priority={item.priority} />
        {item.sla.policy && <SlaBadge status={item.sla.status} paused={item.sla.paused} />}
        {item.shared && (
          <Badge variant="light" color="gray" leftSection={<IconUsers size={12} />}>
            {t("item.shared")}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {serviceTypeName(t, item.service_type, service)}
        {staff && ` · ${tenantName(item.tenant_id)}`}
        {` · ${t("item.timesIn", { zone })}`}
      </Text>
    </Stack>
  );
}

/** The client's answer to the provider's question, or (for staff) the question still open. */
function WaitingQuestion({ item }: { item: WorkItem }) {
  const { t } = useTranslation("items");
  const staff = isStaffRole(useMe().role);
  const [answer, setAnswer] = useState("");
  const changed = useItemChanged(item.id);
  const failed = useFailureNotice();
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/work-items/{item_id}/answer", {
          params: { path: { item_id: item.id } },
          body: { body: answer.trim() },
        }),
      ),
    onSuccess: (moved) => {
      setAnswer("");
      changed(moved);
      notifications.show({ color: "teal", message: t("notify.answered") });
    },
    onError: failed,
  });
  const question = item.waiting_reason ?? "";

  if (staff) {
    return (
      <Alert color="yellow" icon={<IconMessageQuestion size={20} />} data-testid="waiting-question">
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {t("waiting.staffWaiting")} <bdi>{question}</bdi>
        </Text>
      </Alert>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (answer.trim()) send.mutate();
  }

  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconMessageQuestion size={24} />}
      title={
        <Text fw={700} size="lg" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {t("waiting.providerAsks")} <bdi>{question}</bdi>
        </Text>
      }
      data-testid="waiting-question"
    >
      <form onSubmit={submit}>
        <Stack gap="xs" mt="xs">
          <Textarea
            label={t("waiting.answer")}
            placeholder={t("waiting.answerPlaceholder")}
            value={answer}
            onChange={(event) => setAnswer(event.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={LIMITS.body}
          />
          <Group justify="flex-end">
            <Button type="submit" color="yellow.8" loading={send.isPending} disabled={!answer.trim()} leftSection={<IconSend size={18} />}>
              {t("waiting.send")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Alert>
  );
}

/** The answers the request was sent with, labelled by its service's form. */
function RequestDetails({ item }: { item: WorkItem }) {
  const { t, i18n } = useTranslation("items");
  const staff = isStaffRole(useMe().role);
  const services = useServiceTypes(staff ? item.tenant_id : undefined);
  const service = services.data?.find((type) => type.code === item.service_type);
  const fields = service ? parseFields(service.fields) : [];
  // Form order first; anything the form no longer has still shows, after it.
  const names = [...fields.map((field) => field.name), ...Object.keys(item.payload)].filter(
    (name, index, all) => all.indexOf(name) === index && item.payload[name] !== undefined && item.payload[name] !== null,
  );

  function shown(name: string, value: unknown): string {
    const field = fields.find((candidate) => candidate.name === name);
    if (typeof value === "boolean") return value ? t("item.yes") : t("item.no");
    if (typeof value === "number") return formatNumber(value, i18n.language, Number.isInteger(value) ? 0 : 2);
    if (field?.type === "choice" && typeof value === "string") return choiceLabel(t, item.service_type, name, value);
    return String(value);
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="details-title">
      <Title order={3} size="h4" id="details-title" mb="sm">
        {t("item.details")}
      </Title>
      {names.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("item.noDetails")}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" component="dl" m={0}>
          {names.map((name) => {
            const field = fields.find((candidate) => candidate.name === name);
            return (
              <div key={name}>
                <Text component="dt" size="xs" c="dimmed">
                  {field ? fieldLabel(t, item.service_type, field) : humanize(name)}
                </Text>
                <Text component="dd" size="sm" m={0} style={USER_TEXT}>
                  <bdi>{shown(name, item.payload[name])}</bdi>
                </Text>
              </div>
            );
          })}
        </SimpleGrid>
      )}
    </Paper>
  );
}

function Facts({ item, zone }: { item: WorkItem; zone: string }) {
  const { t, i18n } = useTranslation("items");
  const me = useMe();
  const staff = isStaffRole(me.role);
  const agent = !item.assignee_id
    ? t("item.agentNone")
    : item.assignee_id === me.id
      ? t("item.agentYou")
      : (item.assignee_name ?? t("item.agentSomeone"));
  const rows: [string, string][] = [
    [t("item.created"), formatDateTime(item.created_at, i18n.language, zone)],
    [t("item.updated"), formatDateTime(item.updated_at, i18n.language, zone)],
    ...(staff ? ([[t("item.agent"), agent]] as [string, string][]) : []),
  ];
  return (
    <Paper withBorder p="md">
      <Stack gap={6} component="dl" m={0}>
        {rows.map(([label, value]) => (
          <Group key={label} justify="space-between" gap="xs" wrap="nowrap">
            <Text component="dt" size="xs" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="sm" m={0} ta="end">
              {value}
            </Text>
          </Group>
        ))}
        {item.rework_count > 0 && (
          <Text size="xs" c="orange">
            {t("item.rework", { count: item.rework_count, n: formatNumber(item.rework_count, i18n.language) })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
