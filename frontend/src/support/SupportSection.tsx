/**
 * The Support desk's screens as one section with tabs: in the portal a client admin's channels,
 * macros and report; in the console also the tickets, for the tenant staff choose here (kept in the
 * address as `?tenant=`, so every tab and a reload stay on it).
 */
import "./i18n";
import { Group, Select, Tabs, Title } from "@mantine/core";
import { IconChartBar, IconInbox, IconMailCog, IconTemplate } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { useTenants } from "../lib/tenants";
import { NS } from "./i18n";

const TAB_ICONS = { tickets: IconInbox, channels: IconMailCog, macros: IconTemplate, report: IconChartBar } as const;
type Tab = keyof typeof TAB_ICONS;

export function Component() {
  const { t } = useTranslation(NS);
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const inConsole = pathname.startsWith("/console");
  const base = inConsole ? "/console/support" : "/portal/support";
  const tabs: Tab[] = inConsole ? ["tickets", "channels", "macros", "report"] : ["channels", "macros", "report"];
  const current = tabs.find((tab) => pathname.startsWith(`${base}/${tab}`)) ?? tabs[0];
  return (
    <>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
        <Title order={2}>{t("section.title")}</Title>
        {inConsole && <TenantChoice optional={current === "tickets"} />}
      </Group>
      <Tabs
        value={current}
        onChange={(tab) => tab && navigate(`${base}/${tab}${search}`)}
        mb="md"
        keepMounted={false}
      >
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

/** The tenant whose desk the console shows: the tenants the staff member serves that have the desk. */
function TenantChoice({ optional }: { optional: boolean }) {
  const { t } = useTranslation(NS);
  const tenants = useTenants();
  const [params, setParams] = useSearchParams();
  const withDesk = (tenants.data?.items ?? []).filter((tenant) => tenant.services.includes("support"));
  return (
    <Select
      label={t("section.tenant")}
      placeholder={optional ? t("section.anyTenant") : t("section.chooseTenant")}
      data={withDesk.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
      value={params.get("tenant")}
      onChange={(value) =>
        setParams((current) => {
          const next = new URLSearchParams(current);
          if (value) next.set("tenant", value);
          else next.delete("tenant");
          next.delete("page");
          return next;
        })
      }
      searchable
      clearable
      disabled={tenants.isPending}
      error={tenants.error ? t("section.tenantsUnavailable") : undefined}
      w={300}
      maw="100%"
      data-testid="support-tenant"
    />
  );
}
