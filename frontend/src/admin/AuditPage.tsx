/**
 * /console/audit: the append-only audit trail, newest first. Provider-level events (tenants, staff,
 * policies, sign-ins to the console) or one tenant's (its users, API clients, calendar, work). Times
 * are in the viewer's language, and in the tenant's time zone when a tenant is picked. Reading a
 * tenant you are not assigned to is itself recorded (`tenant.access_widened`).
 */
import {
  ActionIcon,
  Badge,
  Box,
  Code,
  Collapse,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconChevronDown, IconChevronUp, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, forTenant, type Schemas, unwrap } from "../api/client";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { useTenants } from "../lib/tenants";
import { Paging } from "./Paging";
import { usePaging } from "./usePaging";

type AuditEvent = Schemas["AuditEventOut"];

const PAGE_SIZE = 50;
const PROVIDER = "provider";
/** Enough rows to name the people and tenants an event is about; beyond that an id is shown. */
const NAME_LOOKUP_LIMIT = 200;

const ACTOR_COLORS: Record<string, string> = { account: "indigo", api_client: "grape", system: "gray" };

/** Names for the ids in the trail: staff, the picked tenant's users, tenants. */
function useNames(tenantId: string | null): Map<string, string> {
  const staff = useQuery({
    queryKey: ["staff", NAME_LOOKUP_LIMIT, 0],
    queryFn: () => unwrap(api.GET("/api/v1/staff", { params: { query: { limit: NAME_LOOKUP_LIMIT } } })),
    staleTime: 60_000,
  });
  const users = useQuery({
    queryKey: ["users", "of", tenantId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/users", { params: { query: { limit: NAME_LOOKUP_LIMIT } }, ...forTenant(tenantId) })),
    enabled: !!tenantId,
    staleTime: 60_000,
  });
  const tenants = useTenants();
  const names = new Map<string, string>();
  for (const tenant of tenants.data?.items ?? []) names.set(tenant.id, tenant.name);
  for (const member of staff.data?.items ?? []) names.set(member.id, member.name);
  for (const user of users.data?.items ?? []) names.set(user.id, user.name);
  return names;
}

export function Component() {
  const { t, i18n } = useTranslation("admin");
  const tenants = useTenants();
  const [searchParams, setSearchParams] = useSearchParams();
  const scope = searchParams.get("scope") ?? PROVIDER;
  const tenantId = scope === PROVIDER ? null : scope;
  const tenant = tenants.data?.items?.find((candidate) => candidate.id === tenantId);
  const paging = usePaging(PAGE_SIZE);
  const [actionFilter, setActionFilter] = useState("");
  const [action] = useDebouncedValue(actionFilter.trim(), 300);
  const names = useNames(tenantId);

  const events = useQuery({
    queryKey: ["audit-events", scope, action, paging.limit, paging.offset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/audit-events", {
          params: {
            query: {
              level: tenantId ? "tenant" : "provider",
              action: action || undefined,
              limit: paging.limit,
              offset: paging.offset,
            },
          },
          ...forTenant(tenantId),
        }),
      ),
    placeholderData: keepPreviousData,
  });
  // A picked tenant's events are shown in its time; provider-level ones in the viewer's own.
  const zone = tenant?.timezone;

  return (
    <>
      <PageHeader title={t("audit.title")} />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t("audit.scope")}
          searchable
          allowDeselect={false}
          nothingFoundMessage={t("nothingFound")}
          value={scope}
          onChange={(value) => {
            setSearchParams(value && value !== PROVIDER ? { scope: value } : {});
            paging.setPage(1);
          }}
          data={[
            { value: PROVIDER, label: t("audit.providerLevel") },
            {
              group: t("audit.tenants"),
              items: (tenants.data?.items ?? []).map((option) => ({ value: option.id, label: option.name })),
            },
          ]}
          w={300}
          maw="100%"
        />
        <TextInput
          label={t("audit.action")}
          placeholder={t("audit.actionPlaceholder")}
          leftSection={<IconSearch size={16} />}
          dir="ltr"
          value={actionFilter}
          onChange={(event) => {
            setActionFilter(event.currentTarget.value);
            paging.setPage(1);
          }}
          w={240}
          maw="100%"
        />
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {zone ? t("audit.timesIn", { zone }) : t("audit.timesLocal")}
      </Text>
      <QueryState
        query={events}
        empty={(page) => !page.total}
        emptyText={action ? t("audit.noMatch") : t("audit.empty")}
      >
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={760} type="native">
              <Table striped verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("audit.when")}</Table.Th>
                    <Table.Th>{t("audit.who")}</Table.Th>
                    <Table.Th>{t("audit.action")}</Table.Th>
                    <Table.Th>{t("audit.subject")}</Table.Th>
                    <Table.Th>{t("audit.changes")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                {/* An expanded record grows its row; the other cells stay at its top. */}
                <Table.Tbody style={{ verticalAlign: "top" }}>
                  {(page.items ?? []).map((event) => (
                    <Table.Tr key={event.id} data-action={event.action}>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>
                        <Text size="sm">{formatDateTime(event.occurred_at, i18n.language, zone)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Actor event={event} names={names} />
                      </Table.Td>
                      <Table.Td>
                        <Code dir="ltr">{event.action}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Subject event={event} names={names} />
                      </Table.Td>
                      <Table.Td maw={380}>
                        <Changes event={event} />
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
    </>
  );
}

/** An id too long for a table cell: its start, with the whole id on hover and focus. */
function ShortId({ id }: { id: string }) {
  return (
    <Tooltip label={id}>
      <Text size="xs" c="dimmed" ff="monospace" dir="ltr" span tabIndex={0}>
        {id.slice(0, 8)}
      </Text>
    </Tooltip>
  );
}

function Actor({ event, names }: { event: AuditEvent; names: Map<string, string> }) {
  const { t } = useTranslation("admin");
  const name = event.actor_id ? names.get(event.actor_id) : undefined;
  return (
    <Stack gap={2} align="flex-start">
      <Badge size="sm" variant="light" color={ACTOR_COLORS[event.actor_kind] ?? "gray"}>
        {t(`audit.actorKind.${event.actor_kind}`, { defaultValue: event.actor_kind })}
      </Badge>
      {name ? <Text size="sm">{name}</Text> : event.actor_id && <ShortId id={event.actor_id} />}
    </Stack>
  );
}

function Subject({ event, names }: { event: AuditEvent; names: Map<string, string> }) {
  if (!event.subject_type && !event.subject_id) return <Text size="sm">—</Text>;
  const id = event.subject_id;
  const name = id ? names.get(id) : undefined;
  let shown: ReactNode = null;
  if (name) shown = <Text size="sm">{name}</Text>;
  // Policy keys ("growth/*/urgent") are readable as they are; uuids are shortened.
  else if (id) shown = id.length > 30 ? <ShortId id={id} /> : <Code dir="ltr">{id}</Code>;
  return (
    <Stack gap={2} align="flex-start">
      {event.subject_type && (
        <Text size="xs" c="dimmed" dir="ltr" span>
          {event.subject_type}
        </Text>
      )}
      {shown}
    </Stack>
  );
}

/** The changes on one line, and the whole record (pretty JSON, address, request id) a click away. */
function Changes({ event }: { event: AuditEvent }) {
  const { t } = useTranslation("admin");
  const [expanded, setExpanded] = useState(false);
  const hasChanges = Object.keys(event.changes).length > 0;
  const detailsId = `audit-${event.id}`;
  return (
    <Box>
      <Group gap={4} wrap="nowrap" align="flex-start">
        <Box style={{ flex: 1, minWidth: 0 }}>
          {!expanded && (
            <Text size="xs" ff="monospace" dir="ltr" lineClamp={1} style={{ wordBreak: "break-all" }}>
              {hasChanges ? JSON.stringify(event.changes) : "—"}
            </Text>
          )}
        </Box>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-expanded={expanded}
          aria-controls={detailsId}
          aria-label={expanded ? t("audit.hideDetails") : t("audit.showDetails")}
          onClick={() => setExpanded((open) => !open)}
        >
          {expanded ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
        </ActionIcon>
      </Group>
      <Collapse expanded={expanded} id={detailsId}>
        <Stack gap={4}>
          {hasChanges && (
            <Code block dir="ltr" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
              {JSON.stringify(event.changes, null, 2)}
            </Code>
          )}
          {event.ip && (
            <Text size="xs" c="dimmed">
              {t("audit.ip")}: <Code dir="ltr">{event.ip}</Code>
            </Text>
          )}
          {event.request_id && (
            <Text size="xs" c="dimmed">
              {t("audit.requestId")}: <Code dir="ltr">{event.request_id}</Code>
            </Text>
          )}
          {!event.ip && !event.request_id && (
            <Text size="xs" c="dimmed">
              {t("audit.noRequest")}
            </Text>
          )}
        </Stack>
      </Collapse>
    </Box>
  );
}
