import { describe, expect, it } from "vitest";
import { clampPage, stepZoom } from "./viewer";

describe("stepZoom", () => {
  it("moves one level in or out and stays at the ends", () => {
    expect(stepZoom(1, 1)).toBe(1.25);
    expect(stepZoom(1, -1)).toBe(0.75);
    expect(stepZoom(3, 1)).toBe(3);
    expect(stepZoom(0.5, -1)).toBe(0.5);
  });
});

describe("clampPage", () => {
  it("keeps a page within the document", () => {
    expect(clampPage(0, 3)).toBe(1);
    expect(clampPage(4, 3)).toBe(3);
    expect(clampPage(2, 3)).toBe(2);
  });
});
