import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { type MessageFile, MessageFiles } from "./MessageFiles";

const INVOICE: MessageFile = { id: "f1", filename: "invoice.pdf", content_type: "application/pdf", size_bytes: 1536 };
const CONTRACT: MessageFile = { id: "f2", filename: "عقد.pdf", content_type: "application/pdf", size_bytes: 200 };

function renderFiles(files: MessageFile[]) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <MantineProvider>
        <MessageFiles files={files} workItemId="item-1" />
      </MantineProvider>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

describe("the files under an email", () => {
  it("lists each file by name and size with a control that names what it downloads", () => {
    renderFiles([INVOICE, CONTRACT]);
    const list = screen.getByRole("list", { name: "Attachments" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((row) => row.textContent)).toEqual(["invoice.pdf1.5 KB", "عقد.pdf200 bytes"]);
    expect(within(list).getByRole("button", { name: "Download invoice.pdf" })).toBeTruthy();
  });

  it("speaks Arabic in the Arabic interface", async () => {
    await i18n.changeLanguage("ar");
    renderFiles([INVOICE]);
    const list = screen.getByRole("list", { name: "المرفقات" });
    expect(within(list).getByRole("button", { name: "تنزيل invoice.pdf" })).toBeTruthy();
  });

  it("shows nothing for an email that brought no files", () => {
    const { container } = renderFiles([]);
    expect(container.querySelector("ul")).toBeNull();
  });
});
