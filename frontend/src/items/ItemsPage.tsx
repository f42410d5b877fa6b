/**
 * The portal's request list, and the console's "All items" (every item of the tenants the staff
 * member serves, claimed or not, with a tenant filter): filter by status, service, priority and
 * SLA, search, sort and page through. Every choice is kept in the URL (see listFilters.ts, plus
 * `tenant` in the console), so Back and bookmarks work.
 */
import { Box, Button, Group, MultiSelect, Pagination, Paper, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconFilePlus, IconFilterOff, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearchParams } from "react-router";
import { api, forTenant, unwrap } from "../api/client";
import { useMe } from "../auth/session";
import { useStateLabel } from "../components/Badges";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { formatNumber } from "../lib/format";
import { ItemTable } from "./ItemTable";
import {
  filtersToSearch,
  isFiltered,
  type ListFilters,
  NO_FILTERS,
  pageCount,
  parseFilters,
  PRIORITIES,
  SLA_STATUSES,
  type Sort,
  SORTS,
  STATES,
  toListQuery,
  withFilter,
} from "./listFilters";
import { serviceTypeName, useServiceTypes } from "./serviceTypes";
import { LIMITS } from "../lib/limits";
import { useTenants } from "../lib/tenants";

const SORT_LABELS: Record<Sort, string> = {
  "-created_at": "list.sortNewest",
  created_at: "list.sortOldest",
  due_at: "list.sortDue",
  "-priority": "list.sortPriority",
};

export function Component() {
  const { t, i18n } = useTranslation("items");
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const inConsole = useLocation().pathname.startsWith("/console");
  const tenant = inConsole ? params.get("tenant") || null : null;

  /** Apply a change to the filters as they are in the URL now (never a stale copy); the tenant stays. */
  const change = (next: (current: ListFilters) => ListFilters, replace = false) =>
    setParams(
      (current) => {
        const search = filtersToSearch(next(parseFilters(current)));
        if (current.get("tenant")) search.set("tenant", current.get("tenant") as string);
        return search;
      },
      { replace },
    );
  const chooseTenant = (tenantId: string | null) =>
    setParams((current) => {
      const search = filtersToSearch(withFilter(parseFilters(current), {}));
      if (tenantId) search.set("tenant", tenantId);
      return search;
    });

  const listQuery = toListQuery(filters);
  const items = useQuery({
    queryKey: ["work-items", listQuery, tenant],
    queryFn: () => unwrap(api.GET("/api/v1/work-items", { params: { query: listQuery }, ...forTenant(tenant) })),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <PageHeader title={inConsole ? t("list.titleAll") : t("list.title")}>
        {!inConsole && (
          <Button component={Link} to="/portal/items/new" leftSection={<IconFilePlus size={18} />}>
            {t("list.newRequest")}
          </Button>
        )}
      </PageHeader>
      {inConsole && <TenantFilter value={tenant} onChange={chooseTenant} />}
      <Filters filters={filters} onChange={change} tenant={tenant} />
      <QueryState query={items}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyList
              filtered={isFiltered(filters) || tenant !== null}
              onClear={() => setParams(filtersToSearch(NO_FILTERS))}
              inConsole={inConsole}
            />
          ) : (
            <Stack gap="sm" style={{ opacity: items.isPlaceholderData ? 0.6 : 1 }} aria-busy={items.isFetching}>
              <Text size="sm" c="dimmed" aria-live="polite">
                {t("list.count", { count: page.total, n: formatNumber(page.total, i18n.language) })}
              </Text>
              <ItemTable
                items={page.items}
                linkBase={inConsole ? "/console/items" : "/portal/items"}
                showTenant={inConsole}
              />
              {pageCount(page.total) > 1 && (
                <Group justify="center">
                  <Pagination
                    total={pageCount(page.total)}
                    value={filters.page}
                    onChange={(value) => change((current) => ({ ...current, page: value }))}
                    getControlProps={(control) => ({ "aria-label": t(`pagination.${control}`) })}
                    aria-label={t("list.pages")}
                  />
                </Group>
              )}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

/** Staff narrow the list to one tenant: their own assignments, or (provider admins) any tenant. */
function TenantFilter({ value, onChange }: { value: string | null; onChange: (tenantId: string | null) => void }) {
  const { t } = useTranslation("items");
  const me = useMe();
  const all = useTenants();
  const tenants = me.role === "provider_admin" ? (all.data?.items ?? []) : me.assigned_tenants;
  return (
    <Select
      label={t("list.tenant")}
      placeholder={t("list.anyTenant")}
      data={tenants.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
      value={value}
      onChange={onChange}
      clearable
      searchable
      maw={360}
    />
  );
}

interface FiltersProps {
  filters: ListFilters;
  onChange: (next: (current: ListFilters) => ListFilters, replace?: boolean) => void;
  tenant?: string | null;
}

function Filters({ filters, onChange, tenant }: FiltersProps) {
  const { t } = useTranslation("items");
  const { t: tc } = useTranslation();
  const stateLabel = useStateLabel();
  const serviceTypes = useServiceTypes(tenant ?? undefined);
  const set = (change: Parameters<typeof withFilter>[1]) => onChange((current) => withFilter(current, change));

  return (
    <Paper withBorder p="sm" role="search">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 6 }} spacing="sm">
        <SearchBox value={filters.q} onSearch={(q) => onChange((current) => withFilter(current, { q }), true)} />
        <MultiSelect
          label={t("list.state")}
          placeholder={filters.states.length ? undefined : t("list.statePlaceholder")}
          data={STATES.map((state) => ({ value: state, label: stateLabel(state) }))}
          value={filters.states}
          onChange={(values) => set({ states: values as ListFilters["states"] })}
          clearable
        />
        <Select
          label={t("list.service")}
          placeholder={t("list.any")}
          data={(serviceTypes.data ?? []).map((type) => ({ value: type.code, label: serviceTypeName(t, type.code, type) }))}
          value={filters.serviceType}
          onChange={(value) => set({ serviceType: value })}
          clearable
        />
        <Select
          label={t("list.priority")}
          placeholder={t("list.any")}
          data={PRIORITIES.map((priority) => ({ value: priority, label: tc(`priority.${priority}`) }))}
          value={filters.priority}
          onChange={(value) => set({ priority: value as ListFilters["priority"] })}
          clearable
        />
        <Select
          label={t("list.sla")}
          placeholder={t("list.any")}
          data={SLA_STATUSES.map((status) => ({ value: status, label: tc(`sla.${status}`) }))}
          value={filters.slaStatus}
          onChange={(value) => set({ slaStatus: value as ListFilters["slaStatus"] })}
          clearable
        />
        <Select
          label={t("list.sort")}
          data={SORTS.map((sort) => ({ value: sort, label: t(SORT_LABELS[sort]) }))}
          value={filters.sort}
          onChange={(value) => value && set({ sort: value as Sort })}
          allowDeselect={false}
        />
      </SimpleGrid>
    </Paper>
  );
}

/** Searches as the person pauses typing, not on every key; follows the URL when it changes elsewhere. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation("items");
  const [text, setText] = useState(value);
  const [urlValue, setUrlValue] = useState(value);
  const search = useDebouncedCallback(onSearch, 350);

  // Cleared or restored from the URL (Back, "Clear filters"): follow it, unless what is typed says the same.
  if (value !== urlValue) {
    setUrlValue(value);
    if (text.trim() !== value) setText(value);
  }

  return (
    <TextInput
      label={t("list.search")}
      placeholder={t("list.searchPlaceholder")}
      leftSection={<IconSearch size={16} />}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        search(event.currentTarget.value);
      }}
      maxLength={LIMITS.search}
      type="search"
    />
  );
}

function EmptyList({ filtered, onClear, inConsole }: { filtered: boolean; onClear: () => void; inConsole: boolean }) {
  const { t } = useTranslation("items");
  return (
    <Box py="xl" data-empty="true">
      <Stack align="center" gap="sm">
        <Text c="dimmed" ta="center">
          {filtered ? t("list.emptyFiltered") : inConsole ? t("list.emptyAll") : t("list.emptyNone")}
        </Text>
        {filtered ? (
          <Button variant="light" leftSection={<IconFilterOff size={18} />} onClick={onClear}>
            {t("list.clear")}
          </Button>
        ) : inConsole ? null : (
          <Button component={Link} to="/portal/items/new" leftSection={<IconFilePlus size={18} />}>
            {t("list.newRequest")}
          </Button>
        )}
      </Stack>
    </Box>
  );
}
