import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import i18n from "../i18n";
import { CardOnFile } from "./CardOnFile";

const VISA = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2031 };

function renderCard(method: unknown, tenantId: string | null = null) {
  vi.spyOn(api, "GET").mockResolvedValue({ data: method, response: new Response(null, { status: 200 }) } as never);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MantineProvider env="test">
        <CardOnFile tenantId={tenantId} />
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

describe("the card on file", () => {
  it("offers no card form where card payments are not set up, and says to pay by bank transfer", async () => {
    renderCard({ card: null, card_payments: false });

    expect(await screen.findByText(/Card payments are not set up yet; pay by bank transfer/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add a card" })).toBeNull();
  });

  it("says the same in Arabic", async () => {
    await i18n.changeLanguage("ar");
    renderCard({ card: null, card_payments: false });

    expect(await screen.findByText(/لم يُفعَّل الدفع بالبطاقة بعد/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "إضافة بطاقة" })).toBeNull();
  });

  it("offers to add a card where card payments are set up", async () => {
    renderCard({ card: null, card_payments: true });

    expect(await screen.findByRole("button", { name: "Add a card" })).toBeTruthy();
    expect(screen.getByTestId("card-on-file").textContent).toBe("No card on file: invoices are paid by bank transfer.");
  });

  it("shows a saved card and offers to replace it", async () => {
    renderCard({ card: VISA, card_payments: true });
    expect(await screen.findByText("VISA ending in 4242, expires 12/2031")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Replace card" })).toBeTruthy();
  });

  it("shows the card on a provider's console without a button", async () => {
    renderCard({ card: VISA, card_payments: true }, "tenant-1");
    expect(await screen.findByText("VISA ending in 4242, expires 12/2031")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Replace card" })).toBeNull();
  });
});
