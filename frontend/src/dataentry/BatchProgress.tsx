/** How far a batch's import has gone: rows read of the file's rows (unknown until the file is counted). */
import { Progress, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { NS } from "./i18n";
import type { Batch } from "./queries";

export function BatchProgress({ batch }: { batch: Batch }) {
  const { t, i18n } = useTranslation(NS);
  const number = (value: number) => formatNumber(value, i18n.language);
  const total = batch.rows_total;
  const label = total === null ? t("batches.rowsSoFar", { done: number(batch.rows_imported) }) : t("batches.rowsOf", { done: number(batch.rows_imported), total: number(total) });
  const percent = total ? Math.min(100, (batch.rows_imported / total) * 100) : 0;
  return (
    <Stack gap={4} miw={140}>
      <Text size="sm" data-testid="batch-rows">
        {label}
      </Text>
      {batch.status === "importing" && (
        <Progress value={percent} size="sm" animated striped aria-label={label} />
      )}
    </Stack>
  );
}
