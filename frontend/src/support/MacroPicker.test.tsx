import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { MacroPicker } from "./MacroPicker";
import type { Macro } from "./macros";

const macro = (name: string, body: string): Macro => ({
  id: name,
  name,
  body,
  created_at: "2026-11-02T09:00:00Z",
  updated_at: "2026-11-02T09:00:00Z",
});

const MACROS = [macro("Refund issued", "We have refunded you."), macro("Shipping delay", "It is on its way.")];

function renderPicker(onPick = vi.fn(), macros = MACROS) {
  render(
    <MantineProvider>
      <MacroPicker opened macros={macros} loading={false} onPick={onPick} onClose={() => {}} />
    </MantineProvider>,
  );
  return onPick;
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
  // jsdom lays nothing out, so it has no scrolling either.
  Element.prototype.scrollIntoView = vi.fn();
});

describe("the macro picker", () => {
  it("is worked by keyboard alone: type to filter, arrows to move, Enter to pick", async () => {
    const onPick = renderPicker();
    const search = await screen.findByRole("combobox", { name: "Search macros" });
    await userEvent.type(search, "ship");
    expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual([
      "Shipping delayIt is on its way.",
    ]);
    await userEvent.clear(search);
    await userEvent.keyboard("{ArrowDown}");
    expect(screen.getByRole("option", { selected: true }).textContent).toContain("Shipping delay");
    expect(search.getAttribute("aria-activedescendant")).toBe(screen.getByRole("option", { selected: true }).id);
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect(onPick).toHaveBeenCalledWith(MACROS[0]);
  });

  it("says so when nothing matches, and Enter then picks nothing", async () => {
    const onPick = renderPicker();
    await userEvent.type(await screen.findByRole("combobox", { name: "Search macros" }), "zebra{Enter}");
    expect(screen.getByRole("status").textContent).toBe("No macro matches.");
    expect(onPick).not.toHaveBeenCalled();
  });

  it("says when the tenant has no macros at all", async () => {
    renderPicker(vi.fn(), []);
    expect((await screen.findByRole("status")).textContent).toBe("This tenant has no macros yet.");
  });
});
