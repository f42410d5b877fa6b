/** Headline figures in cards: a label, an optional icon, and the figure with its own loading and error state. */
import { Card, Group, Text, ThemeIcon } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { QueryState } from "./QueryState";

interface StatCardProps {
  label: string;
  icon?: ReactNode;
  color: string;
  children: ReactNode;
}

export function StatCard({ label, icon, color, children }: StatCardProps) {
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb={4} mih={28}>
        <Text size="sm" c="dimmed" fw={500}>
          {label}
        </Text>
        {icon && (
          <ThemeIcon variant="light" color={color} radius="md" aria-hidden>
            {icon}
          </ThemeIcon>
        )}
      </Group>
      {children}
    </Card>
  );
}

interface CountStatProps<T> {
  label: string;
  icon?: ReactNode;
  color: string;
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  pick: (data: T) => number;
  /** Colour the number once it is above zero: a count of breaches should look like one. */
  alarm?: boolean;
  testId: string;
}

/** One count from a query, in the reader's digits. */
export function CountStat<T>({ label, icon, color, query, pick, alarm = false, testId }: CountStatProps<T>) {
  const { i18n } = useTranslation();
  return (
    <StatCard label={label} icon={icon} color={color}>
      <QueryState query={query}>
        {(data) => (
          <Text fz={30} fw={700} lh={1.2} c={alarm && pick(data) > 0 ? color : undefined} data-testid={testId}>
            {formatNumber(pick(data), i18n.language)}
          </Text>
        )}
      </QueryState>
    </StatCard>
  );
}
