/**
 * The console's support tickets, across the tenants the staff member serves (or the one chosen
 * above): filter by status and tag, search by customer, page through; a ticket opens its item, with
 * the desk's workspace. Every choice is kept in the address.
 */
import "./i18n";
import { Anchor, Badge, Button, Group, Pagination, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconFilterOff, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import { PriorityBadge, StateBadge, useStateLabel } from "../components/Badges";
import { QueryState } from "../components/QueryState";
import { STATES } from "../items/listFilters";
import { formatDateTime, formatNumber } from "../lib/format";
import { LIMITS } from "../lib/limits";
import { useTenantNames } from "../lib/tenants";
import { NS } from "./i18n";
import { supportKey, useSupportScope } from "./queries";
import { type TicketFilters, ticketFilters, ticketQuery, withTicketFilter } from "./ticketFilters";
import type { Ticket } from "./thread";

const PAGE_SIZE = 25;

export function Component() {
  const { t, i18n } = useTranslation(NS);
  const scope = useSupportScope();
  const [params, setParams] = useSearchParams();
  const filters = ticketFilters(params);
  const change = (patch: Partial<TicketFilters>) =>
    // Typing in a search box replaces the address rather than leaving a Back step per pause.
    setParams((current) => withTicketFilter(current, patch), { replace: patch.q !== undefined || patch.tag !== undefined });
  // Clearing the filters starts the search boxes afresh.
  const [cleared, setCleared] = useState(0);
  const clear = () => {
    change({ status: null, tag: "", q: "" });
    setCleared((count) => count + 1);
  };
  const query = ticketQuery(filters, PAGE_SIZE);
  const tickets = useQuery({
    queryKey: [...supportKey(scope.tenantId), "tickets", query],
    queryFn: () => unwrap(api.GET("/api/v1/support/tickets", { params: { query }, ...scope.headers })),
    placeholderData: keepPreviousData,
  });
  const filtered = filters.status !== null || filters.tag !== "" || filters.q !== "";
  const pages = (total: number) => Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="md">
      <Filters key={cleared} filters={filters} onChange={change} />
      <QueryState query={tickets}>
        {(page) =>
          page.items.length === 0 ? (
            <Stack align="center" py="lg" gap="xs" data-empty="true">
              <Text c="dimmed">{filtered ? t("tickets.noMatch") : t("tickets.empty")}</Text>
              {filtered && (
                <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={clear}>
                  {t("tickets.clear")}
                </Button>
              )}
            </Stack>
          ) : (
            <Stack gap="sm" style={{ opacity: tickets.isPlaceholderData ? 0.6 : 1 }} aria-busy={tickets.isFetching}>
              <Text size="sm" c="dimmed" aria-live="polite">
                {t("tickets.count", { count: page.total, n: formatNumber(page.total, i18n.language) })}
              </Text>
              <TicketTable tickets={page.items} showTenant={scope.tenantId === null} />
              {pages(page.total) > 1 && (
                <Group justify="center">
                  <Pagination total={pages(page.total)} value={filters.page} onChange={(value) => change({ page: value })} />
                </Group>
              )}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

function Filters({ filters, onChange }: { filters: TicketFilters; onChange: (patch: Partial<TicketFilters>) => void }) {
  const { t } = useTranslation(NS);
  const stateLabel = useStateLabel();
  // Typed text shows at once; the list follows once typing pauses.
  const [q, setQ] = useState(filters.q);
  const [tag, setTag] = useState(filters.tag);
  const search = useDebouncedCallback((patch: Partial<TicketFilters>) => onChange(patch), 300);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t("tickets.status")}
        placeholder={t("tickets.anyStatus")}
        data={STATES.map((state) => ({ value: state, label: stateLabel(state) }))}
        value={filters.status}
        onChange={(value) => onChange({ status: value })}
        clearable
        w={200}
      />
      <TextInput
        label={t("tickets.tag")}
        placeholder={t("tickets.tagPlaceholder")}
        value={tag}
        maxLength={50}
        onChange={(event) => {
          setTag(event.currentTarget.value);
          search({ tag: event.currentTarget.value.trim() });
        }}
        w={180}
      />
      <TextInput
        label={t("tickets.customer")}
        placeholder={t("tickets.customerPlaceholder")}
        leftSection={<IconSearch size={16} />}
        type="search"
        value={q}
        maxLength={LIMITS.search}
        onChange={(event) => {
          setQ(event.currentTarget.value);
          search({ q: event.currentTarget.value.trim() });
        }}
        w={260}
      />
    </Group>
  );
}

function TicketTable({ tickets, showTenant }: { tickets: Ticket[]; showTenant: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const tenantName = useTenantNames();
  return (
    <Table.ScrollContainer minWidth={showTenant ? 1000 : 880} type="native">
      <Table striped highlightOnHover verticalSpacing="sm" data-testid="ticket-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("tickets.reference")}</Table.Th>
            <Table.Th>{t("tickets.subject")}</Table.Th>
            <Table.Th>{t("tickets.customer")}</Table.Th>
            {showTenant && <Table.Th>{t("tickets.tenant")}</Table.Th>}
            <Table.Th>{t("tickets.status")}</Table.Th>
            <Table.Th>{t("tickets.priority")}</Table.Th>
            <Table.Th>{t("tickets.tags")}</Table.Th>
            <Table.Th>{t("tickets.updated")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.map((ticket) => (
            <Table.Tr key={ticket.id} data-testid="ticket-row" data-reference={ticket.reference}>
              <Table.Td>
                <Text size="sm" dir="ltr" ta="start">
                  {ticket.reference}
                </Text>
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/console/support/tickets/${ticket.work_item_id}`}
                  size="sm"
                  fw={500}
                  aria-label={`${t("tickets.open", { reference: ticket.reference })}: ${ticket.subject}`}
                >
                  <bdi>{ticket.subject}</bdi>
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <bdi>{ticket.customer.name || ticket.customer.email}</bdi>
                </Text>
                {ticket.customer.name && (
                  <Text size="xs" c="dimmed" dir="ltr" ta="start">
                    {ticket.customer.email}
                  </Text>
                )}
              </Table.Td>
              {showTenant && (
                <Table.Td>
                  <Text size="sm">{tenantName(ticket.tenant_id)}</Text>
                </Table.Td>
              )}
              <Table.Td>
                <StateBadge state={ticket.status} />
              </Table.Td>
              <Table.Td>
                <PriorityBadge priority={ticket.priority} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {ticket.tags.map((tag) => (
                    <Badge key={tag} size="sm" variant="dot" color="gray">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(ticket.updated_at, i18n.language)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
