/**
 * Work items as a table, for the portal's list and the console's screens alike. Each title links
 * to the item (so a keyboard reaches every row through its link); the minor columns give way on
 * narrow screens. Due times are shown in the item's tenant's time zone.
 */
import { Anchor, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Schemas } from "../api/client";
import { PriorityBadge, SlaBadge, StateBadge } from "../components/Badges";
import { formatDateTime } from "../lib/format";
import { useTenantNames, useTenantZone } from "../lib/tenants";
import { useServiceTypeNames } from "./serviceTypes";
import { currentDue } from "./slaClock";

type WorkItem = Schemas["WorkItemOut"];

interface ItemTableProps {
  items: WorkItem[];
  linkBase: "/portal/items" | "/console/items";
  showTenant?: boolean;
}

export function ItemTable({ items, linkBase, showTenant = false }: ItemTableProps) {
  const { t } = useTranslation("items");
  const serviceName = useServiceTypeNames();
  const tenantName = useTenantNames();
  // "Overdue" as of when the rows were drawn; the item screen has the live clock.
  const [now] = useState(() => Date.now());
  if (items.length === 0) {
    return (
      <Text c="dimmed" py="lg" ta="center" data-empty="true">
        {t("table.empty")}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table highlightOnHover verticalSpacing="sm" aria-label={t("table.label")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("table.title")}</Table.Th>
            {showTenant && <Table.Th>{t("table.tenant")}</Table.Th>}
            <Table.Th visibleFrom="sm">{t("table.service")}</Table.Th>
            <Table.Th>{t("table.state")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("table.priority")}</Table.Th>
            <Table.Th>{t("table.sla")}</Table.Th>
            <Table.Th visibleFrom="md">{t("table.updated")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <ItemRow
              key={item.id}
              item={item}
              href={`${linkBase}/${item.id}`}
              serviceName={serviceName(item.service_type)}
              tenantName={showTenant ? tenantName(item.tenant_id) : undefined}
              now={now}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface ItemRowProps {
  item: WorkItem;
  href: string;
  serviceName: string;
  tenantName?: string;
  now: number;
}

function ItemRow({ item, href, serviceName, tenantName, now }: ItemRowProps) {
  const { i18n } = useTranslation("items");
  const zone = useTenantZone(item.tenant_id);
  return (
    <Table.Tr data-testid="item-row" data-item-id={item.id}>
      <Table.Td>
        <Anchor component={Link} to={href} fw={500} lineClamp={2}>
          <bdi>{item.title}</bdi>
        </Anchor>
      </Table.Td>
      {tenantName !== undefined && <Table.Td>{tenantName}</Table.Td>}
      <Table.Td visibleFrom="sm">{serviceName}</Table.Td>
      <Table.Td>
        <StateBadge state={item.state} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <PriorityBadge priority={item.priority} />
      </Table.Td>
      <Table.Td>
        <SlaCell item={item} zone={zone} now={now} />
      </Table.Td>
      <Table.Td visibleFrom="md">
        <Text size="sm" c="dimmed">
          {formatDateTime(item.updated_at, i18n.language, zone)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function SlaCell({ item, zone, now }: { item: WorkItem; zone: string; now: number }) {
  const { t, i18n } = useTranslation("items");
  if (!item.sla.policy) return <Text size="sm" c="dimmed">—</Text>;
  const open = !["done", "rejected", "cancelled"].includes(item.state);
  const due = open && !item.sla.paused ? currentDue(item.sla) : null;
  const overdue = due !== null && new Date(due.dueAt).getTime() < now;
  return (
    <Stack gap={2} align="flex-start">
      <SlaBadge status={item.sla.status} paused={item.sla.paused} />
      {due && (
        <Text size="xs" c={overdue ? "red" : "dimmed"} title={t(`clock.phase.${due.phase}`)}>
          {t("table.due", { time: formatDateTime(due.dueAt, i18n.language, zone) })}
        </Text>
      )}
    </Stack>
  );
}
