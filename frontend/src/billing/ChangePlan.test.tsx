import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import i18n from "../i18n";
import { ChangePlanDialog } from "./ChangePlan";
import type { PlanChange } from "./queries";

const CHOICES = [
  { code: "starter", name: "Starter" },
  { code: "growth", name: "Growth" },
];

const DOWNGRADE: PlanChange = {
  kind: "downgrade",
  plan: "starter",
  version: 1,
  effective_at: "2026-12-31T21:00:00Z",
  period: "2026-12",
  currency: "USD",
  lines: [],
  total: 0,
};

const UPGRADE: PlanChange = {
  ...DOWNGRADE,
  kind: "upgrade",
  plan: "growth",
  effective_at: "2026-12-05T09:00:00Z",
  lines: [{ description: "Growth v1 base fee, 27 of 31 days", quantity: 1, unit_price: "999.00", amount: 87010 }],
  total: 87010,
};

const answer = (status: number, body: unknown) => ({
  data: status < 400 ? body : undefined,
  error: status < 400 ? undefined : body,
  response: new Response(null, { status }),
});

function renderDialog(pending: string | null = null) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <MantineProvider env="test">
        <ChangePlanDialog
          tenantId="tenant-1"
          current="growth"
          pending={pending}
          choices={CHOICES}
          timeZone="Asia/Riyadh"
          opened
          onClose={() => {}}
        />
      </MantineProvider>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the change-plan dialog", () => {
  it("previews before it lets the change be confirmed, and shows the server's refusal", async () => {
    const preview = vi.spyOn(api, "GET").mockResolvedValue(answer(200, DOWNGRADE) as never);
    const refusal = "plan: Starter does not include bookkeeping (1 open item); finish or cancel that work first";
    const put = vi.spyOn(api, "PUT").mockResolvedValue(answer(409, { status_code: 409, detail: refusal }) as never);
    renderDialog();
    const dialog = screen.getByRole("dialog", { name: "Change plan" });
    const confirm = within(dialog).getByRole("button", { name: "Confirm the change" });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);

    await userEvent.click(within(dialog).getByRole("radio", { name: "Starter" }));
    expect(await within(dialog).findByText(/A downgrade: it takes effect at the start of the next period/)).toBeTruthy();
    expect(preview).toHaveBeenCalledWith("/api/v1/subscription/preview", {
      params: { query: { plan: "starter" } },
      headers: { "X-Tenant": "tenant-1" },
    });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);

    await userEvent.click(confirm);
    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toContain("Starter does not include bookkeeping (1 open item)");
    expect(alert.textContent).not.toContain("plan:");
    expect(put).toHaveBeenCalledWith("/api/v1/subscription", { body: { plan: "starter" }, headers: { "X-Tenant": "tenant-1" } });
  });

  it("lists an upgrade's prorated charges and their total", async () => {
    vi.spyOn(api, "GET").mockResolvedValue(answer(200, UPGRADE) as never);
    renderDialog();
    const dialog = screen.getByRole("dialog", { name: "Change plan" });
    await userEvent.click(within(dialog).getByRole("radio", { name: "Growth (current)" }));
    const table = await within(dialog).findByRole("table");
    expect(within(table).getByText("Growth v1 base fee, 27 of 31 days")).toBeTruthy();
    expect(within(table).getAllByText(/US\$870\.10/)).toHaveLength(2);
  });

  it("offers to keep the current plan only when that cancels a scheduled change", async () => {
    const staying = { ...DOWNGRADE, kind: "none" as const, plan: "growth" };
    vi.spyOn(api, "GET").mockResolvedValue(answer(200, staying) as never);
    renderDialog("starter");
    const dialog = screen.getByRole("dialog", { name: "Change plan" });
    await userEvent.click(within(dialog).getByRole("radio", { name: "Growth (current)" }));
    expect(await within(dialog).findByText(/the change to Starter scheduled for the next period is cancelled/)).toBeTruthy();
    expect((within(dialog).getByRole("button", { name: "Confirm the change" }) as HTMLButtonElement).disabled).toBe(false);
  });
});
