/**
 * The HR desk section: tabs over its employees, cases and checklists. In the portal a client's people
 * see their own company's; in the console staff choose the client (kept in the address as `?tenant=`,
 * so every tab and a reload stay on it).
 */
import "./i18n";
import { Group, Select, Tabs, Text, Title } from "@mantine/core";
import { IconBeach, IconChecklist, IconListDetails, IconUsers } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { useTenants } from "../lib/tenants";
import { NS } from "./i18n";
import { type HrScope, useHrScope } from "./queries";

const TAB_ICONS = { employees: IconUsers, cases: IconListDetails, checklists: IconChecklist, leave: IconBeach } as const;
type Tab = keyof typeof TAB_ICONS;
const TABS: Tab[] = ["employees", "cases", "checklists", "leave"];

export function Component() {
  const { t } = useTranslation(NS);
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const inConsole = pathname.startsWith("/console");
  const base = inConsole ? "/console/hr" : "/portal/hr";
  const current = TABS.find((tab) => pathname.startsWith(`${base}/${tab}`)) ?? "employees";
  return (
    <>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={2}>{t("section.title")}</Title>
        {inConsole && <TenantChoice />}
      </Group>
      <Tabs value={current} onChange={(tab) => tab && navigate(`${base}/${tab}${search}`)} mb="md" keepMounted={false}>
        <Tabs.List aria-label={t("section.tabs")}>
          {TABS.map((tab) => {
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

/** The client whose HR desk the console shows: the tenants the staff member serves that have the service. */
function TenantChoice() {
  const { t } = useTranslation(NS);
  const tenants = useTenants();
  const [params, setParams] = useSearchParams();
  const withHr = (tenants.data?.items ?? []).filter((tenant) => tenant.services.includes("hr"));
  return (
    <Select
      label={t("section.tenant")}
      placeholder={t("section.chooseTenant")}
      data={withHr.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
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
      data-testid="hr-tenant"
    />
  );
}

/** An HR screen needs a client: staff who have not chosen one are asked to, above. */
export function WithTenant({ children }: { children: (scope: HrScope & { tenantId: string }) => ReactNode }) {
  const { t } = useTranslation(NS);
  const scope = useHrScope();
  if (scope.tenantId === null) {
    return (
      <Text c="dimmed" ta="center" py="xl" data-empty="true">
        {t("section.noTenant")}
      </Text>
    );
  }
  return <>{children({ ...scope, tenantId: scope.tenantId })}</>;
}
