/**
 * The frame around every signed-in screen: the app's name, the navigation for the caller's role,
 * the language switch and sign-out. Client people get the portal; provider staff the console.
 */
import { AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text, Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconAlarm,
  IconBuilding,
  IconCalendarTime,
  IconChartBar,
  IconChecklist,
  IconClipboardCheck,
  IconFilePlus,
  IconGauge,
  IconKey,
  IconListDetails,
  IconLogout,
  IconScale,
  IconShieldCheck,
  IconUsers,
  IconUsersGroup,
} from "@tabler/icons-react";
import type { ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { NavLink as RouterLink, Outlet, useLocation } from "react-router";
import { useMe, useSession, type Role } from "../auth/session";
import { LanguageSwitch } from "./LanguageSwitch";

interface NavEntry {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
  roles: Role[];
  end?: boolean;
}

const CLIENTS: Role[] = ["client_admin", "client_member"];
const STAFF: Role[] = ["provider_admin", "provider_agent"];

export const NAVIGATION: NavEntry[] = [
  { to: "/portal", label: "nav.dashboard", icon: IconGauge, roles: CLIENTS, end: true },
  { to: "/portal/items", label: "nav.items", icon: IconListDetails, roles: CLIENTS, end: true },
  { to: "/portal/items/new", label: "nav.newRequest", icon: IconFilePlus, roles: CLIENTS },
  { to: "/portal/reports", label: "nav.reports", icon: IconChartBar, roles: CLIENTS },
  { to: "/portal/users", label: "nav.users", icon: IconUsers, roles: ["client_admin"] },
  { to: "/portal/api-clients", label: "nav.apiClients", icon: IconKey, roles: ["client_admin"] },
  { to: "/console", label: "nav.console", icon: IconChecklist, roles: STAFF, end: true },
  { to: "/console/qa", label: "nav.qa", icon: IconClipboardCheck, roles: STAFF },
  { to: "/console/sla-board", label: "nav.slaBoard", icon: IconAlarm, roles: STAFF },
  { to: "/console/reports", label: "nav.reports", icon: IconChartBar, roles: STAFF },
  { to: "/console/tenants", label: "nav.tenants", icon: IconBuilding, roles: ["provider_admin"] },
  { to: "/console/staff", label: "nav.staff", icon: IconUsersGroup, roles: ["provider_admin"] },
  { to: "/console/sla-policies", label: "nav.slaPolicies", icon: IconScale, roles: ["provider_admin"] },
  { to: "/console/calendars", label: "nav.calendars", icon: IconCalendarTime, roles: ["provider_admin"] },
  { to: "/console/audit", label: "nav.audit", icon: IconShieldCheck, roles: ["provider_admin"] },
];

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const entries = NAVIGATION.filter((entry) => entry.roles.includes(me.role as Role));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "md", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="menu" />
            <Text fw={700}>{t("app.name")}</Text>
            <Text size="sm" c="dimmed" visibleFrom="sm" data-testid="tenant-name">
              {me.tenant?.name ?? ""}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Text size="sm" visibleFrom="sm" data-testid="me-name">
              {me.name}
            </Text>
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconLogout size={16} />}
              onClick={() => void signOut()}
            >
              {t("session.signOut")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="main">
        <ScrollArea>
          <Stack gap={2}>
            {entries.map((entry) => (
              <NavLink
                key={entry.to}
                component={RouterLink}
                to={entry.to}
                end={entry.end}
                label={t(entry.label)}
                leftSection={<entry.icon size={18} />}
                active={entry.end ? location.pathname === entry.to : location.pathname.startsWith(entry.to)}
                onClick={close}
              />
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
