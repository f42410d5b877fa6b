/**
 * The menu, as the server's domain registry serves it (GET /api/v1/navigation): already filtered
 * for the caller's role and the tenant's services, in menu order. The web app keeps no list of
 * screens; it only dresses the entries: a label in the reader's language when `nav.<key>` is
 * translated (else the server's English), an icon by key (a default one for a key it does not
 * know), and which entry is active for the current address.
 */
import {
  IconBook2,
  IconCalculator,
  IconPlayerPlay,
  IconReportMoney,
  IconAlarm,
  IconBuilding,
  IconCalendarTime,
  IconChartBar,
  IconChecklist,
  IconCircleDot,
  IconClipboardCheck,
  IconFilePlus,
  IconGauge,
  IconGavel,
  IconHeadset,
  IconKey,
  IconListDetails,
  IconMailOpened,
  IconPackages,
  IconReceipt,
  IconScale,
  IconShieldCheck,
  IconTarget,
  IconUsers,
  IconUsersGroup,
} from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { i18n as I18n } from "i18next";
import type { ComponentType } from "react";
import { api, type Schemas, unwrap } from "../api/client";

export type NavigationEntry = Schemas["NavigationEntry"];
export type NavIcon = ComponentType<{ size?: number }>;

export interface MenuEntry {
  key: string;
  path: string;
  label: string;
  icon: NavIcon;
}

const ICONS: Record<string, NavIcon> = {
  dashboard: IconGauge,
  items: IconListDetails,
  allItems: IconListDetails,
  newRequest: IconFilePlus,
  reports: IconChartBar,
  users: IconUsers,
  apiClients: IconKey,
  console: IconChecklist,
  qa: IconClipboardCheck,
  slaBoard: IconAlarm,
  tenants: IconBuilding,
  staff: IconUsersGroup,
  slaPolicies: IconScale,
  calendars: IconCalendarTime,
  audit: IconShieldCheck,
  support: IconHeadset,
  supportTickets: IconMailOpened,
  billing: IconReceipt,
  plans: IconPackages,
  dataEntryAdjudication: IconGavel,
  dataEntryAccuracy: IconTarget,
  billingRuns: IconPlayerPlay,
  receivables: IconReportMoney,
  books: IconBook2,
  booksConsole: IconCalculator,
};

/** A new domain's entry still gets an icon: this one. */
export const DEFAULT_ICON: NavIcon = IconCircleDot;

export function navIcon(key: string): NavIcon {
  return Object.hasOwn(ICONS, key) ? ICONS[key] : DEFAULT_ICON;
}

export const navigationKey = ["navigation"] as const;

/**
 * The caller's menu. Kept for the whole session: signing in or out clears the query cache,
 * so the next person asks again.
 */
export function useNavigation() {
  return useQuery({
    queryKey: navigationKey,
    queryFn: async () => (await unwrap(api.GET("/api/v1/navigation"))).items,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** The server's entries, labelled in the reader's language and given their icons. */
export function buildMenu(entries: NavigationEntry[], i18n: Pick<I18n, "exists" | "t">): MenuEntry[] {
  return entries.map((entry) => {
    const labelKey = `nav.${entry.key}`;
    return {
      key: entry.key,
      path: entry.path,
      label: i18n.exists(labelKey) ? i18n.t(labelKey) : entry.label,
      icon: navIcon(entry.key),
    };
  });
}

function trimmed(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/**
 * The path of the entry to show as active: an exact match, else the entry whose path is the longest
 * prefix of the address (on a "/" boundary), so `/portal/items/42` marks Requests and not Dashboard,
 * and `/portal/items/new` marks New request and not Requests. Null when nothing matches.
 */
export function activePath(pathname: string, paths: string[]): string | null {
  const here = trimmed(pathname);
  let best: string | null = null;
  for (const path of paths) {
    const candidate = trimmed(path);
    const matches = here === candidate || here.startsWith(candidate === "/" ? "/" : `${candidate}/`);
    if (matches && (best === null || candidate.length > trimmed(best).length)) best = path;
  }
  return best;
}
