import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { lazy } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import type { WorkItem } from "../items/itemQueries";
import { sampleItem } from "../items/sampleItem";
import { DeskSlot } from "./DeskSlot";
import { type Desk, DESKS, type DeskWorkspaceProps, deskWorkspace } from "./registry";

function FakeWorkspace({ item, desk }: DeskWorkspaceProps) {
  return (
    <p>
      Keying {item.title} in {desk.workspace}
    </p>
  );
}

function workItem(serviceType: string, desk: Desk | null): WorkItem {
  return sampleItem({ service_type: serviceType, title: "Invoice batch 7", state: "in_progress", desk });
}

function renderSlot(item: WorkItem) {
  return render(
    <MantineProvider>
      <DeskSlot item={item} />
    </MantineProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
  DESKS.test_desk = lazy(async () => ({ default: FakeWorkspace }));
});

afterEach(() => {
  delete DESKS.test_desk;
});

describe("the desk slot", () => {
  it("draws the registered workspace of the item's desk", async () => {
    const item = workItem("test_desk", { service_type: "test_desk", workspace: "chunk-1" });
    expect(deskWorkspace(item)).toBe(DESKS.test_desk);
    renderSlot(item);
    expect(await screen.findByText("Keying Invoice batch 7 in chunk-1")).toBeTruthy();
    expect(screen.getByRole("region", { name: "Desk workspace" }).dataset.desk).toBe("test_desk");
  });

  it("draws nothing for an item without a desk", () => {
    const item = workItem("test_desk", null);
    expect(deskWorkspace(item)).toBeUndefined();
    renderSlot(item);
    expect(screen.queryByRole("region")).toBeNull();
    expect(screen.queryByTestId("desk-workspace")).toBeNull();
  });

  it("draws nothing for a desk with no workspace in the web app", () => {
    const item = workItem("payroll", { service_type: "payroll", workspace: "run-3" });
    expect(deskWorkspace(item)).toBeUndefined();
    renderSlot(item);
    expect(screen.queryByTestId("desk-workspace")).toBeNull();
  });
});
