/**
 * The Data entry desk's part of the console's item page (desks/registry.ts): a way into the chunk's
 * keying workspace, with which chunk of how many it is. An item asked for through the portal form
 * has no chunk behind it and shows nothing.
 */
import "./i18n";
import { Button, Group, Text } from "@mantine/core";
import { IconKeyboard } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { DeskWorkspaceProps } from "../desks/registry";
import { formatNumber } from "../lib/format";
import { NS } from "./i18n";
import { useChunkRef } from "./queries";

export default function DataEntryWorkspace({ item, desk }: DeskWorkspaceProps) {
  const { t, i18n } = useTranslation(NS);
  const ref = useChunkRef(item.id, item.tenant_id);
  if (!ref.data) return null;
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Group justify="space-between" data-testid="data-entry-workspace">
      <Text size="sm">
        {t("keying.title", { number: number(ref.data.number), count: number(ref.data.count) })} ·{" "}
        {t("keying.recordCount", { n: number(ref.data.records) })}
      </Text>
      <Button component={Link} to={desk.workspace} leftSection={<IconKeyboard size={16} />} size="sm">
        {t("keying.open")}
      </Button>
    </Group>
  );
}
