import { describe, expect, it } from "vitest";
import { FreshRows } from "./freshRows";

describe("FreshRows", () => {
  it("treats the first answer as already seen", () => {
    expect(new FreshRows().arrived(["a", "b"]).size).toBe(0);
  });

  it("reports only rows that were not there before", () => {
    const rows = new FreshRows();
    rows.arrived(["b", "a"]);
    expect([...rows.arrived(["c", "b", "a"])]).toEqual(["c"]);
    expect(rows.arrived(["c", "b", "a"]).size).toBe(0);
  });

  it("does not call a row new again when it comes back after dropping off the page", () => {
    const rows = new FreshRows();
    rows.arrived(["a", "b"]);
    rows.arrived(["c", "a"]);
    expect(rows.arrived(["a", "b"]).size).toBe(0);
  });
});
