/**
 * A desk's section of the web app (the Books, the HR desk): tabs over its screens and, in the console,
 * the client whose desk staff work on, kept in the address (`?tenant=`) so every tab and a reload stay
 * on it. In the portal a client's people see their own tenant's. Each desk passes its own tabs, icons
 * and translation namespace (keys `section.title`, `section.tabs`, `section.<tab>`, `section.tenant`,
 * `section.chooseTenant`, `section.tenantsUnavailable`, `section.noTenant`).
 */
import { Group, Select, Tabs, Text, Title } from "@mantine/core";
import type { Icon } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { type DeskScope, useDeskScope } from "./deskScope";
import { useTenants } from "../lib/tenants";


interface DeskSectionProps {
  ns: string;
  /** The service a tenant must have for staff to choose it. */
  service: string;
  /** The section's path under /portal and /console ("books", "hr"). */
  path: string;
  portalTabs: readonly string[];
  consoleTabs: readonly string[];
  icons: Record<string, Icon>;
  /** The tenant picker's test id. */
  tenantTestId: string;
}

export function DeskSection({ ns, service, path, portalTabs, consoleTabs, icons, tenantTestId }: DeskSectionProps) {
  const { t } = useTranslation(ns);
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const inConsole = pathname.startsWith("/console");
  const base = inConsole ? `/console/${path}` : `/portal/${path}`;
  const tabs = inConsole ? consoleTabs : portalTabs;
  const current = tabs.find((tab) => pathname.startsWith(`${base}/${tab}`)) ?? tabs[0];
  return (
    <>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={2}>{t("section.title")}</Title>
        {inConsole && <TenantChoice ns={ns} service={service} testId={tenantTestId} />}
      </Group>
      <Tabs value={current} onChange={(tab) => tab && navigate(`${base}/${tab}${search}`)} mb="md" keepMounted={false}>
        <Tabs.List aria-label={t("section.tabs")}>
          {tabs.map((tab) => {
            const TabIcon = icons[tab];
            return (
              <Tabs.Tab key={tab} value={tab} leftSection={<TabIcon size={16} />}>
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

/** The tenants the staff member serves that have the desk's service; the one chosen goes in the address. */
function TenantChoice({ ns, service, testId }: { ns: string; service: string; testId: string }) {
  const { t } = useTranslation(ns);
  const tenants = useTenants();
  const [params, setParams] = useSearchParams();
  const withService = (tenants.data?.items ?? []).filter((tenant) => tenant.services.includes(service));
  return (
    <Select
      label={t("section.tenant")}
      placeholder={t("section.chooseTenant")}
      data={withService.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
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
      data-testid={testId}
    />
  );
}

/** A desk screen needs a tenant: staff who have not chosen one are asked to, above. */
export function WithDeskTenant({
  ns,
  children,
}: {
  ns: string;
  children: (scope: DeskScope & { tenantId: string }) => ReactNode;
}) {
  const { t } = useTranslation(ns);
  const scope = useDeskScope();
  if (scope.tenantId === null) {
    return (
      <Text c="dimmed" ta="center" py="xl" data-empty="true">
        {t("section.noTenant")}
      </Text>
    );
  }
  return <>{children({ ...scope, tenantId: scope.tenantId })}</>;
}
