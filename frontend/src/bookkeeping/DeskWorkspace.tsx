/**
 * The Bookkeeping desk's part of the console's item page (desks/registry.ts): what the item is (a
 * document to book and where it stands, or a period close and its checklist's progress) and the way
 * into its workspace. A generic request from the portal's form shows nothing.
 */
import "./documentsI18n";
import { Badge, Button, Group, Text } from "@mantine/core";
import { IconBook } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { DeskWorkspaceProps } from "../desks/registry";
import { formatNumber } from "../lib/format";
import { monthLabel } from "../portal/months";
import { DOCS_NS } from "./documentsI18n";
import { useCloseOfItem, useDocumentOfItem } from "./documentsQueries";

export default function BookkeepingWorkspace({ item, desk }: DeskWorkspaceProps) {
  const { t, i18n } = useTranslation(DOCS_NS);
  const document = useDocumentOfItem(item.id, item.tenant_id);
  const close = useCloseOfItem(item.id, item.tenant_id);
  let summary = null;
  if (document.data) {
    summary = (
      <Group gap="xs">
        <Text size="sm">
          <bdi>{t("work.documentSummary", { kind: t(`kind.${document.data.kind}`), filename: document.data.filename })}</bdi>
        </Text>
        <Badge variant="light">{t(`status.${document.data.status}`)}</Badge>
      </Group>
    );
  } else if (close.data) {
    const done = close.data.checks.filter((check) => check.done).length;
    summary = (
      <Text size="sm">
        {t("work.closeSummary", {
          month: monthLabel(close.data.period.month, i18n.language),
          done: formatNumber(done, i18n.language),
          total: formatNumber(close.data.checks.length, i18n.language),
        })}
      </Text>
    );
  }
  if (!summary) return null;
  return (
    <Group justify="space-between" data-testid="books-desk-workspace">
      {summary}
      <Button component={Link} to={desk.workspace} leftSection={<IconBook size={16} />} size="sm">
        {t("work.open")}
      </Button>
    </Group>
  );
}
