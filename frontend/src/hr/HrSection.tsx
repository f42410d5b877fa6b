/**
 * The HR desk section: tabs over its employees, cases, checklists, leave and payroll. In the portal a client's
 * people see their own company's; in the console staff choose the client in the section's picker
 * (desks/DeskSection).
 */
import "./i18n";
import { IconBeach, IconCash, IconChecklist, IconListDetails, IconUsers } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { DeskSection, WithDeskTenant } from "../desks/DeskSection";
import { NS } from "./i18n";
import type { HrScope } from "./queries";

const TAB_ICONS = {
  employees: IconUsers,
  cases: IconListDetails,
  checklists: IconChecklist,
  leave: IconBeach,
  payroll: IconCash,
};
const TABS = ["employees", "cases", "checklists", "leave", "payroll"];

export function Component() {
  return (
    <DeskSection
      ns={NS}
      service="hr"
      path="hr"
      portalTabs={TABS}
      consoleTabs={TABS}
      icons={TAB_ICONS}
      tenantTestId="hr-tenant"
    />
  );
}

/** An HR screen needs a client: staff who have not chosen one are asked to, above. */
export function WithTenant({ children }: { children: (scope: HrScope & { tenantId: string }) => ReactNode }) {
  return <WithDeskTenant ns={NS}>{children}</WithDeskTenant>;
}
