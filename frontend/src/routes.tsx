/**
 * Every screen and who may open it. Pages load with their route (code splitting), so the
 * sign-in page stays small; a wrong role is sent to its own home, not shown an error.
 */
import { Center, Loader, Stack, Text, Title, Button } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, Link, Navigate, Outlet, useLocation } from "react-router";
import { isStaff, type Role, useSession } from "./auth/session";
import { SignInPage } from "./auth/SignInPage";
import { changeLanguage, isLanguage } from "./i18n";
import { AppLayout } from "./layout/AppLayout";

function RequireSession() {
  const { signedIn, me, loading } = useSession();
  const location = useLocation();
  const { i18n } = useTranslation();
  useEffect(() => {
    if (me && isLanguage(me.locale) && me.locale !== i18n.language) void changeLanguage(me.locale);
  }, [me, i18n.language]);
  if (!signedIn) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (loading || !me) return <PageLoading />;
  return <Outlet />;
}

function RequireRole({ roles }: { roles: Role[] }) {
  const { me } = useSession();
  if (!me || !roles.includes(me.role as Role)) return <Navigate to="/" replace />;
  return <Outlet />;
}

function Home() {
  const { me } = useSession();
  return <Navigate to={isStaff(me) ? "/console" : "/portal"} replace />;
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="center" py="xl">
      <Title order={2}>404</Title>
      <Text>{t("common.notFound")}</Text>
      <Button component={Link} to="/">
        {t("common.back")}
      </Button>
    </Stack>
  );
}

const CLIENTS: Role[] = ["client_admin", "client_member"];
const STAFF: Role[] = ["provider_admin", "provider_agent"];

function PageLoading() {
  return (
    <Center mih="100vh">
      <Loader />
    </Center>
  );
}

const passwordPages = () => import("./auth/PasswordPages");

// The support desk's settings, the same screens in the portal (a client admin's own tenant) and the console.
const supportSection = () => import("./support/SupportSection");
const booksSection = () => import("./bookkeeping/BooksSection");
// Contacts, invoices and bills, and their aging: the same screens in the portal (read) and the console (kept).
const bookItemPages = [
  { path: "contacts", lazy: () => import("./bookkeeping/ContactsPage") },
  { path: "items", lazy: () => import("./bookkeeping/ItemsPage") },
  { path: "aging", lazy: () => import("./bookkeeping/AgingPage") },
];
// The HR desk's employees, cases and checklists, the same screens in the portal and the console; a case's
// page is the desk's workspace (hr/domain.py: /console/hr/cases/{item_id}).
const hrSection = () => import("./hr/HrSection");
const hrPages = [
  { index: true, lazy: () => import("./hr/EmployeesPage") },
  { path: "employees", lazy: () => import("./hr/EmployeesPage") },
  { path: "employees/:employeeId", lazy: () => import("./hr/EmployeePage") },
  { path: "cases", lazy: () => import("./hr/CasesPage") },
  { path: "cases/:itemId", lazy: () => import("./hr/CaseWorkspace") },
  { path: "checklists", lazy: () => import("./hr/ChecklistsPage") },
  { path: "leave", lazy: () => import("./hr/leave/LeavePage") },
  { path: "payroll", lazy: () => import("./hr/payroll/PayrollPage") },
  { path: "payroll/:runId", lazy: () => import("./hr/payroll/RunPage") },
];
const supportSettings = [
  { path: "channels", lazy: () => import("./support/ChannelsPage") },
  { path: "macros", lazy: () => import("./support/MacrosPage") },
  { path: "report", lazy: () => import("./support/ReportPage") },
];

export const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  // Reached from emailed links or the sign-in page, without a session; loaded only when opened.
  { path: "/forgot-password", lazy: async () => ({ Component: (await passwordPages()).ForgotPasswordPage }) },
  { path: "/accept-invitation", lazy: async () => ({ Component: (await passwordPages()).AcceptInvitationPage }) },
  { path: "/reset-password", lazy: async () => ({ Component: (await passwordPages()).ResetPasswordPage }) },
  {
    element: <RequireSession />,
    // Shown while a deep link's lazily loaded page arrives on the first load.
    hydrateFallbackElement: <PageLoading />,
    children: [
      { index: true, element: <Home /> },
      {
        element: <AppLayout />,
        children: [
          {
            path: "portal",
            element: <RequireRole roles={CLIENTS} />,
            children: [
              { index: true, lazy: () => import("./portal/DashboardPage") },
              { path: "items", lazy: () => import("./items/ItemsPage") },
              { path: "items/new", lazy: () => import("./items/NewRequestPage") },
              { path: "items/:itemId", lazy: () => import("./items/ItemPage") },
              { path: "reports", lazy: () => import("./portal/ReportPage") },
              // The data entry desk: batches for everyone on the tenant, its record schemas for a client admin.
              {
                path: "data-entry",
                lazy: () => import("./dataentry/DataEntrySection"),
                children: [
                  { index: true, lazy: () => import("./dataentry/BatchesPage") },
                  { path: "batches/:batchId", lazy: () => import("./dataentry/BatchPage") },
                  {
                    element: <RequireRole roles={["client_admin"]} />,
                    children: [{ path: "schemas", lazy: () => import("./dataentry/SchemasPage") }],
                  },
                ],
              },
              // The Bookkeeping desk: the tenant's reports and journal (a client admin approves entries there).
              {
                path: "books",
                lazy: booksSection,
                children: [
                  { index: true, lazy: () => import("./bookkeeping/ReportsPage") },
                  { path: "reports", lazy: () => import("./bookkeeping/ReportsPage") },
                  { path: "journal", lazy: () => import("./bookkeeping/JournalPage") },
                  { path: "documents", lazy: () => import("./bookkeeping/DocumentsPage") },
                  { path: "bank", lazy: () => import("./bookkeeping/BankPage") },
                  ...bookItemPages,
                ],
              },
              { path: "hr", lazy: hrSection, children: hrPages },
              {
                element: <RequireRole roles={["client_admin"]} />,
                children: [
                  { path: "users", lazy: () => import("./admin/UsersPage") },
                  { path: "api-clients", lazy: () => import("./admin/ApiClientsPage") },
                  { path: "billing", lazy: () => import("./billing/BillingPage") },
                  {
                    path: "support",
                    lazy: supportSection,
                    children: [
                      { index: true, element: <Navigate to="/portal/support/channels" replace /> },
                      ...supportSettings,
                    ],
                  },
                ],
              },
            ],
          },
          {
            path: "console",
            element: <RequireRole roles={STAFF} />,
            children: [
              { index: true, lazy: () => import("./console/QueuePage") },
              { path: "items", lazy: () => import("./items/ItemsPage") },
              { path: "items/:itemId", lazy: () => import("./items/ItemPage") },
              { path: "qa", lazy: () => import("./console/QaPage") },
              { path: "sla-board", lazy: () => import("./console/SlaBoardPage") },
              { path: "reports", lazy: () => import("./portal/ReportPage") },
              // The support desk's workspace route (support/domain.py): the item page, with the desk beside it.
              { path: "support/tickets/:itemId", lazy: () => import("./items/ItemPage") },
              // The data entry desk's workspace route (dataentry/domain.py): keying a chunk's records.
              { path: "data-entry/items/:itemId", lazy: () => import("./dataentry/KeyingPage") },
              // Double keying: the records whose passes disagree, and how accurate the keying is.
              { path: "data-entry/adjudication", lazy: () => import("./dataentry/AdjudicationPage") },
              { path: "data-entry/adjudication/:recordId", lazy: () => import("./dataentry/AdjudicationRecord") },
              { path: "data-entry/accuracy", lazy: () => import("./dataentry/AccuracyPage") },
              // The Bookkeeping desk's workspace route (bookkeeping/domain.py): a document beside the entry form, or a close.
              { path: "books/work/:itemId", lazy: () => import("./bookkeeping/WorkPage") },
              // The Bookkeeping desk: staff with the skill keep one tenant's books (chosen as ?tenant=).
              {
                path: "books",
                lazy: booksSection,
                children: [
                  { index: true, lazy: () => import("./bookkeeping/EntriesPage") },
                  { path: "entries", lazy: () => import("./bookkeeping/EntriesPage") },
                  { path: "entries/new", lazy: () => import("./bookkeeping/NewEntryPage") },
                  { path: "accounts", lazy: () => import("./bookkeeping/AccountsPage") },
                  { path: "periods", lazy: () => import("./bookkeeping/PeriodsPage") },
                  { path: "documents", lazy: () => import("./bookkeeping/DocumentsPage") },
                  { path: "bank", lazy: () => import("./bookkeeping/BankPage") },
                  { path: "reports", lazy: () => import("./bookkeeping/ReportsPage") },
                  ...bookItemPages,
                ],
              },
              {
                path: "support",
                lazy: supportSection,
                children: [
                  { index: true, element: <Navigate to="/console/support/tickets" replace /> },
                  { path: "tickets", lazy: () => import("./support/TicketsPage") },
                  ...supportSettings,
                ],
              },
              { path: "hr", lazy: hrSection, children: hrPages },
              {
                element: <RequireRole roles={["provider_admin"]} />,
                children: [
                  { path: "tenants", lazy: () => import("./admin/TenantsPage") },
                  { path: "tenants/:tenantId/users", lazy: () => import("./admin/TenantUsersPage") },
                  { path: "staff", lazy: () => import("./admin/StaffPage") },
                  { path: "sla-policies", lazy: () => import("./admin/SlaPoliciesPage") },
                  { path: "calendars", lazy: () => import("./admin/CalendarsPage") },
                  { path: "audit", lazy: () => import("./admin/AuditPage") },
                  { path: "plans", lazy: () => import("./billing/PlansPage") },
                  { path: "billing/runs", lazy: () => import("./billing/RunsPage") },
                  { path: "billing/receivables", lazy: () => import("./billing/ReceivablesPage") },
                ],
              },
            ],
          },
          { path: "*", element: <NotFound /> },
        ],
      },
    ],
  },
]);
