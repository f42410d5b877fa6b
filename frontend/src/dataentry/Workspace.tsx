/**
 * The Data entry desk's part of the console's item page (desks/registry.ts): a way into the chunk's
 * keying workspace, with the chunk's progress.
 */
import "./i18n";
import { Button, Group, Text } from "@mantine/core";
import { IconKeyboard } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { DeskWorkspaceProps } from "../desks/registry";
import { chunkRefOf } from "./chunk";
import { NS } from "./i18n";

export default function DataEntryWorkspace({ item, desk }: DeskWorkspaceProps) {
  const { t } = useTranslation(NS);
  const ref = chunkRefOf(item.payload);
  if (!ref) return null;
  return (
    <Group justify="space-between" data-testid="data-entry-workspace">
      <Text size="sm">{t("keying.title", { number: ref.number, count: ref.count })}</Text>
      <Button component={Link} to={desk.workspace} leftSection={<IconKeyboard size={16} />} size="sm">
        {t("keying.open")}
      </Button>
    </Group>
  );
}
