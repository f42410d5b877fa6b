/**
 * Loading, error and empty states in one place, so every screen says the same thing the same way:
 * a loader while waiting, the server's own words (with a retry) on failure, a sentence when empty.
 */
import { Alert, Button, Center, Loader, Stack, Text } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";

export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.problems.join(" · ");
  if (error instanceof TypeError) return "";
  return error instanceof Error && error.message ? error.message : fallback;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = errorMessage(error, t("common.error")) || t("common.offline");
  return (
    <Alert color="red" icon={<IconAlertCircle size={18} />} title={t("common.error")} role="alert">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry} w="fit-content">
            {t("common.retry")}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

interface QueryStateProps<T> {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  empty?: (data: T) => boolean;
  emptyText?: ReactNode;
  children: (data: T) => ReactNode;
}

export function QueryState<T>({ query, empty, emptyText, children }: QueryStateProps<T>) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Center py="xl" aria-busy="true">
        <Loader size="sm" aria-label={t("common.loading")} />
      </Center>
    );
  }
  if (query.error || query.data === undefined) {
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (empty?.(query.data)) {
    return (
      <Text c="dimmed" py="lg" ta="center" data-empty="true">
        {emptyText ?? t("common.empty")}
      </Text>
    );
  }
  return <>{children(query.data)}</>;
}
