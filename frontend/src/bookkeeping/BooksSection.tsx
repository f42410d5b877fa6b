/**
 * The Books section: tabs over its screens. In the portal a tenant's people read their reports and
 * journal (the client admin approves entries there); in the console staff with the bookkeeping skill
 * keep one tenant's books, the tenant chosen in the section's picker (desks/DeskSection).
 */
import "./i18n";
import { IconBook, IconCalendarStats, IconChartBar, IconFileInvoice, IconListNumbers } from "@tabler/icons-react";
import { IconAddressBook, IconCalendarDue, IconReceipt } from "@tabler/icons-react";
import { IconBuildingBank } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { DeskSection, WithDeskTenant } from "../desks/DeskSection";
import { NS } from "./i18n";
import type { BooksScope } from "./queries";

const TAB_ICONS = { bank: IconBuildingBank, reports: IconChartBar, journal: IconBook, documents: IconFileInvoice, entries: IconBook, accounts: IconListNumbers, periods: IconCalendarStats, contacts: IconAddressBook, items: IconReceipt, aging: IconCalendarDue };
const PORTAL_TABS = ["reports", "journal", "documents", "contacts", "items", "aging", "bank"];
const CONSOLE_TABS = ["entries", "documents", "contacts", "items", "accounts", "periods", "reports", "aging", "bank"];

export function Component() {
  return (
    <DeskSection
      ns={NS}
      service="bookkeeping"
      path="books"
      portalTabs={PORTAL_TABS}
      consoleTabs={CONSOLE_TABS}
      icons={TAB_ICONS}
      tenantTestId="books-tenant"
    />
  );
}

/** A books screen needs a tenant: staff who have not chosen one are asked to, above. */
export function WithBooks({ children }: { children: (scope: BooksScope & { tenantId: string }) => ReactNode }) {
  return <WithDeskTenant ns={NS}>{children}</WithDeskTenant>;
}
