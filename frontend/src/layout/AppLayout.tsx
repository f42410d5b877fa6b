/**
 * The frame around every signed-in screen: the app's name, the navigation for the caller's role,
 * the language switch and sign-out. Client people get the portal; provider staff the console. The
 * menu's entries come from the server (MainMenu); the frame draws at once, without waiting for them.
 */
import { AppShell, Burger, Group, ScrollArea, Text, Button } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconLogout } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Outlet } from "react-router";
import { useMe, useSession } from "../auth/session";
import { LanguageSwitch } from "./LanguageSwitch";
import { MainMenu } from "./MainMenu";

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();

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
          <MainMenu onNavigate={close} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
