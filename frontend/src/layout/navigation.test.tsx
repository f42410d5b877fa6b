import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter } from "react-router";
import { api } from "../api/client";
import i18n from "../i18n";
import { MainMenu } from "./MainMenu";
import { activePath, buildMenu, DEFAULT_ICON, navIcon, type NavigationEntry } from "./navigation";

const entry = (key: string, path: string, label = key): NavigationEntry => ({
  key,
  label,
  path,
  surface: path.split("/")[1],
  service: null,
});

const PORTAL: NavigationEntry[] = [
  entry("dashboard", "/portal", "Dashboard"),
  entry("items", "/portal/items", "Requests"),
  entry("newRequest", "/portal/items/new", "New request"),
  entry("reports", "/portal/reports", "SLA report"),
  entry("users", "/portal/users", "Users"),
];

function answer(items: NavigationEntry[]) {
  return { data: { items }, error: undefined, response: new Response(null, { status: 200 }) };
}

function failure() {
  return {
    data: undefined,
    error: { status_code: 500, detail: "boom" },
    response: new Response(null, { status: 500, statusText: "Internal Server Error" }),
  };
}

function renderMenu(at: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[at]}>
          <nav aria-label="main">
            <MainMenu />
          </nav>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("buildMenu", () => {
  it("keeps the server's entries and their order", () => {
    const menu = buildMenu(PORTAL, i18n);
    expect(menu.map((item) => item.path)).toEqual(PORTAL.map((item) => item.path));
  });

  it("labels an entry in the reader's language when nav.<key> is translated", async () => {
    await i18n.changeLanguage("ar");
    const [dashboard] = buildMenu([entry("dashboard", "/portal", "Dashboard")], i18n);
    expect(dashboard.label).toBe(i18n.t("nav.dashboard"));
    expect(dashboard.label).not.toBe("Dashboard");
  });

  it("falls back to the server's English label and a default icon for a key it does not know", () => {
    const [payroll] = buildMenu([entry("payrollRuns", "/console/payroll", "Payroll runs")], i18n);
    expect(payroll.label).toBe("Payroll runs");
    expect(payroll.icon).toBe(DEFAULT_ICON);
    expect(navIcon("users")).not.toBe(DEFAULT_ICON);
  });
});

describe("activePath", () => {
  const paths = PORTAL.map((item) => item.path);

  it("marks an exact match", () => {
    expect(activePath("/portal", paths)).toBe("/portal");
    expect(activePath("/portal/items", paths)).toBe("/portal/items");
    expect(activePath("/portal/items/new", paths)).toBe("/portal/items/new");
    expect(activePath("/portal/users/", paths)).toBe("/portal/users");
  });

  it("marks the most specific prefix below it, on a path boundary", () => {
    expect(activePath("/portal/items/0b6f5d1e", paths)).toBe("/portal/items");
    expect(activePath("/portal/reports/2026-11", paths)).toBe("/portal/reports");
    expect(activePath("/portal/settings", paths)).toBe("/portal");
    expect(activePath("/portal-x", paths)).toBeNull();
    expect(activePath("/console/items/1", ["/console", "/console/qa"])).toBe("/console");
  });
});

describe("MainMenu", () => {
  it("shows the entries the server sends, with one active", async () => {
    const get = vi.spyOn(api, "GET").mockResolvedValue(answer(PORTAL) as never);
    renderMenu("/portal/items/42");
    const menu = screen.getByRole("navigation", { name: "main" });
    expect(within(menu).getByTestId("menu-loading")).toBeTruthy();

    const requests = await within(menu).findByRole("link", { name: "Requests" });
    expect(get).toHaveBeenCalledWith("/api/v1/navigation");
    expect(within(menu).getAllByRole("link").map((link) => link.textContent)).toEqual([
      "Dashboard",
      "Requests",
      "New request",
      "SLA report",
      "Users",
    ]);
    expect(requests.getAttribute("href")).toBe("/portal/items");
    expect(requests.getAttribute("aria-current")).toBe("page");
    expect(requests.hasAttribute("data-active")).toBe(true);
    const dashboard = within(menu).getByRole("link", { name: "Dashboard" });
    expect(dashboard.getAttribute("aria-current")).toBeNull();
    expect(dashboard.hasAttribute("data-active")).toBe(false);
  });

  it("shows a new domain's entry with the server's label", async () => {
    vi.spyOn(api, "GET").mockResolvedValue(answer([...PORTAL, entry("invoices", "/portal/invoices", "Invoices")]) as never);
    renderMenu("/portal/invoices");
    const invoices = await screen.findByRole("link", { name: "Invoices" });
    expect(invoices.getAttribute("aria-current")).toBe("page");
  });

  it("offers a retry when the menu cannot be loaded", async () => {
    const get = vi
      .spyOn(api, "GET")
      .mockResolvedValueOnce(failure() as never)
      .mockResolvedValue(answer(PORTAL) as never);
    renderMenu("/portal");
    const alert = await screen.findByTestId("menu-error");
    await userEvent.click(within(alert).getByRole("button", { name: i18n.t("common.retry") }));
    expect(await screen.findByRole("link", { name: "Dashboard" })).toBeTruthy();
    expect(get).toHaveBeenCalledTimes(2);
  });
});
