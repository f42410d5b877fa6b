import { describe, expect, it } from "vitest";
import { fillPlaceholders, filterMacros, type Macro, moveHighlight, placeholderProblem } from "./macros";

const macro = (name: string, body = `Body of ${name}`): Macro => ({
  id: name,
  name,
  body,
  created_at: "2026-11-02T09:00:00Z",
  updated_at: "2026-11-02T09:00:00Z",
});

const MACROS = [macro("Apology"), macro("Refund issued", "We have refunded you."), macro("Shipping delay"), macro("Thanks")];

describe("filterMacros", () => {
  it("keeps every macro, in order, for an empty query", () => {
    expect(filterMacros(MACROS, "  ").map((m) => m.name)).toEqual(["Apology", "Refund issued", "Shipping delay", "Thanks"]);
  });

  it("ranks names that start with the query, then names holding it, then bodies holding it", () => {
    const found = filterMacros([macro("Late delivery"), macro("Delay", "x"), macro("Other", "about a delay")], "DEL");
    expect(found.map((m) => m.name)).toEqual(["Delay", "Late delivery", "Other"]);
  });

  it("finds nothing when nothing matches", () => {
    expect(filterMacros(MACROS, "zebra")).toEqual([]);
  });

  it("matches Arabic names", () => {
    expect(filterMacros([macro("اعتذار"), macro("شكر")], "شك").map((m) => m.name)).toEqual(["شكر"]);
  });
});

describe("moveHighlight", () => {
  it("steps and wraps at both ends", () => {
    expect(moveHighlight(0, 1, 3)).toBe(1);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
  });

  it("starts from the first or last row when nothing is highlighted, and has nothing to highlight in no rows", () => {
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });
});

describe("fillPlaceholders", () => {
  const values = { customer_name: "Layla", ticket_reference: "T-000042", agent_name: "Sami" };

  it("fills every placeholder as the server does", () => {
    expect(fillPlaceholders("Hello {customer_name}, about {ticket_reference}. {agent_name}", values)).toBe(
      "Hello Layla, about T-000042. Sami",
    );
  });

  it("writes doubled braces as single ones", () => {
    expect(fillPlaceholders("{{literal}} and {customer_name}}}", values)).toBe("{literal} and Layla}");
  });

  it("leaves a body the server would refuse as written", () => {
    expect(fillPlaceholders("Hi {name}", values)).toBe("Hi {name}");
    expect(fillPlaceholders("Hi {customer_name", values)).toBe("Hi {customer_name");
  });
});

describe("placeholderProblem", () => {
  it("accepts the known placeholders and escaped braces", () => {
    expect(placeholderProblem("Dear {customer_name}, {{ok}} {ticket_reference} {agent_name}")).toBeNull();
  });

  it("names unknown placeholders once each, sorted", () => {
    expect(placeholderProblem("{name} {order} {name}")).toEqual({ kind: "unknown", names: ["name", "order"] });
  });

  it("refuses braces that do not pair up", () => {
    expect(placeholderProblem("a } b")).toEqual({ kind: "braces" });
    expect(placeholderProblem("a { b")).toEqual({ kind: "braces" });
  });
});
