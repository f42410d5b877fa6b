/**
 * The Books section: tabs over its screens. In the portal a tenant's people read their reports and
 * journal (the client admin approves entries there); in the console staff with the bookkeeping skill
 * keep one tenant's books, the tenant chosen here and kept in the address (`?tenant=`) so every tab
 * and a reload stay on it.
 */
import "./i18n";
import { Group, Select, Tabs, Text, Title } from "@mantine/core";
import { IconBook, IconCalendarStats, IconChartBar, IconFileInvoice, IconListNumbers } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { useTenants } from "../lib/tenants";
import { NS } from "./i18n";
import { type BooksScope, useBooksScope } from "./queries";

const TAB_ICONS = { reports: IconChartBar, journal: IconBook, documents: IconFileInvoice, entries: IconBook, accounts: IconListNumbers, periods: IconCalendarStats } as const;
type Tab = keyof typeof TAB_ICONS;

const PORTAL_TABS: Tab[] = ["reports", "journal", "documents"];
const CONSOLE_TABS: Tab[] = ["entries", "documents", "accounts", "periods", "reports"];

export function Component() {
  const { t } = useTranslation(NS);
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const inConsole = pathname.startsWith("/console");
  const base = inConsole ? "/console/books" : "/portal/books";
  const tabs = inConsole ? CONSOLE_TABS : PORTAL_TABS;
  const current = tabs.find((tab) => pathname.startsWith(`${base}/${tab}`)) ?? tabs[0];
  return (
    <>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={2}>{t("section.title")}</Title>
        {inConsole && <TenantChoice />}
      </Group>
      <Tabs value={current} onChange={(tab) => tab && navigate(`${base}/${tab}${search}`)} mb="md" keepMounted={false}>
        <Tabs.List aria-label={t("section.tabs")}>
          {tabs.map((tab) => {
            const Icon = TAB_ICONS[tab];
            return (
              <Tabs.Tab key={tab} value={tab} leftSection={<Icon size={16} />}>
                {t(`section.${tab}`)}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}

/** The tenant whose books the console keeps: the tenants the staff member serves that have the service. */
function TenantChoice() {
  const { t } = useTranslation(NS);
  const tenants = useTenants();
  const [params, setParams] = useSearchParams();
  const withBooks = (tenants.data?.items ?? []).filter((tenant) => tenant.services.includes("bookkeeping"));
  return (
    <Select
      label={t("section.tenant")}
      placeholder={t("section.chooseTenant")}
      data={withBooks.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
      value={params.get("tenant")}
      onChange={(value) =>
        setParams((current) => {
          const next = new URLSearchParams(current);
          if (value) next.set("tenant", value);
          else next.delete("tenant");
          return next;
        })
      }
      searchable
      clearable
      disabled={tenants.isPending}
      error={tenants.error ? t("section.tenantsUnavailable") : undefined}
      w={300}
      maw="100%"
      data-testid="books-tenant"
    />
  );
}

/** A books screen needs a tenant: staff who have not chosen one are asked to, above. */
export function WithBooks({ children }: { children: (scope: BooksScope & { tenantId: string }) => ReactNode }) {
  const { t } = useTranslation(NS);
  const scope = useBooksScope();
  if (scope.tenantId === null) {
    return (
      <Text c="dimmed" ta="center" py="xl" data-empty="true">
        {t("section.noTenant")}
      </Text>
    );
  }
  return <>{children({ ...scope, tenantId: scope.tenantId })}</>;
}
