/**
 * The navigation's entries, from the server's registry (see navigation.ts). Placeholders while the
 * menu loads, so the frame around it shows at once; a short message and a retry if it fails.
 */
import { Button, NavLink, Skeleton, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { activePath, buildMenu, useNavigation } from "./navigation";

export function MainMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t, i18n } = useTranslation();
  const { pathname } = useLocation();
  const navigation = useNavigation();

  if (navigation.isPending) {
    return (
      <Stack gap={6} p={4} aria-busy="true" aria-label={t("common.loading")} data-testid="menu-loading">
        {[0, 1, 2, 3].map((row) => (
          <Skeleton key={row} height={28} />
        ))}
      </Stack>
    );
  }
  if (navigation.error || !navigation.data) {
    return (
      <Stack gap={6} p="xs" align="flex-start" role="alert" data-testid="menu-error">
        <Text size="sm" c="dimmed">
          {t("common.menuFailed")}
        </Text>
        <Button size="compact-xs" variant="light" onClick={() => void navigation.refetch()}>
          {t("common.retry")}
        </Button>
      </Stack>
    );
  }

  const entries = buildMenu(navigation.data, i18n);
  const active = activePath(
    pathname,
    entries.map((entry) => entry.path),
  );
  return (
    <Stack gap={2}>
      {entries.map((entry) => (
        <NavLink
          key={entry.path}
          component={Link}
          to={entry.path}
          label={entry.label}
          leftSection={<entry.icon size={18} />}
          active={entry.path === active}
          aria-current={entry.path === active ? "page" : undefined}
          data-nav-key={entry.key}
          onClick={onNavigate}
        />
      ))}
    </Stack>
  );
}
