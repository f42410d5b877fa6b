/**
 * The dashboard's chart of open items by state. It is its own module so the chart library loads
 * beside the page's data instead of in front of it: the counts show first, the ring follows.
 */
import "@mantine/charts/styles.css";
import { DonutChart } from "@mantine/charts";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import type { OpenState } from "./openItems";

// The same hues as the state badges, a shade deeper so a slice reads against white.
const SLICE_COLORS: Record<OpenState, string> = {
  new: "gray.5",
  queued: "blue.6",
  in_progress: "indigo.6",
  waiting_on_client: "yellow.6",
  in_review: "grape.6",
};

export default function StateDonut({ slices, total }: { slices: { state: OpenState; value: number }[]; total: number }) {
  const { t, i18n } = useTranslation("portal");
  return (
    <DonutChart
      data={slices.map(({ state, value }) => ({ name: t(`common:state.${state}`), value, color: SLICE_COLORS[state] }))}
      chartLabel={formatNumber(total, i18n.language)}
      valueFormatter={(value) => formatNumber(value, i18n.language)}
      size={160}
      thickness={26}
      paddingAngle={2}
      tooltipDataSource="segment"
      aria-label={t("dashboard.byStateChart")}
      role="img"
    />
  );
}
