import { describe, expect, it } from "vitest";
import {
  cleanTags,
  hasQuotedHistory,
  messageMarks,
  messageTime,
  parseCc,
  shownText,
  type TicketMessage,
  threadOrder,
} from "./thread";

function message(id: string, fields: Partial<TicketMessage> = {}): TicketMessage {
  return {
    id,
    ticket_id: "t1",
    direction: "inbound",
    kind: "customer",
    message_id: `${id}@example.test`,
    in_reply_to: null,
    from_address: "layla@example.test",
    from_name: "Layla",
    to_addresses: ["help@acme.test"],
    cc_addresses: [],
    subject: "Lamp",
    text: "Where is my lamp?",
    new_text: "Where is my lamp?",
    html: null,
    flagged: false,
    auto_submitted: false,
    agent_id: null,
    received_at: null,
    sent_at: null,
    created_at: "2026-11-02T09:00:00Z",
    ...fields,
  };
}

describe("threadOrder", () => {
  it("puts messages oldest first by when the desk took them in, whatever their Date header says", () => {
    const thread = threadOrder([
      message("b", { created_at: "2026-11-02T10:00:00Z" }),
      message("a", { created_at: "2026-11-02T09:00:00Z", received_at: "2026-11-03T00:00:00Z" }),
    ]);
    expect(thread.map((m) => m.id)).toEqual(["a", "b"]);
  });

  it("keeps each message once, the latest copy winning, and orders equal times by id", () => {
    const thread = threadOrder([message("b"), message("a"), message("b", { text: "newer" })]);
    expect(thread.map((m) => m.id)).toEqual(["a", "b"]);
    expect(thread[1].text).toBe("newer");
  });
});

describe("a message's text", () => {
  it("has quoted history when the full text says more than the new part, or there is HTML", () => {
    expect(hasQuotedHistory(message("a"))).toBe(false);
    expect(hasQuotedHistory(message("a", { text: "Yes\n\n> Where is my lamp?", new_text: "Yes" }))).toBe(true);
    expect(hasQuotedHistory(message("a", { html: "<p>Yes</p>" }))).toBe(true);
  });

  it("shows the whole text when the new part is empty", () => {
    expect(shownText(message("a", { text: "> quoted only", new_text: "  " }))).toBe("> quoted only");
    expect(shownText(message("a", { text: "Yes\n> old", new_text: "Yes" }))).toBe("Yes");
  });

  it("is dated by when it was received or sent, else when it was stored", () => {
    expect(messageTime(message("a", { received_at: "2026-11-01T08:00:00Z" }))).toBe("2026-11-01T08:00:00Z");
    expect(messageTime(message("a", { sent_at: "2026-11-01T07:00:00Z" }))).toBe("2026-11-01T07:00:00Z");
    expect(messageTime(message("a"))).toBe("2026-11-02T09:00:00Z");
  });
});

describe("messageMarks", () => {
  it("marks a flagged sender and automatic mail", () => {
    expect(messageMarks(message("a", { flagged: true, auto_submitted: true }))).toEqual(["flagged", "automatic"]);
    expect(messageMarks(message("a"))).toEqual([]);
  });

  it("names the desk's own automatic mail by what it is", () => {
    const ack = message("a", { direction: "outbound", kind: "acknowledgement", auto_submitted: true });
    expect(messageMarks(ack)).toEqual(["acknowledgement"]);
    expect(messageMarks(message("b", { direction: "outbound", kind: "csat_request" }))).toEqual(["csatRequest"]);
  });
});

describe("cleanTags", () => {
  it("trims, lower-cases and keeps each tag once, in order", () => {
    expect(cleanTags([" Shipping", "shipping", "", "Urgent "])).toEqual(["shipping", "urgent"]);
  });
});

describe("parseCc", () => {
  it("splits on commas, semicolons and spaces, keeping good addresses once", () => {
    expect(parseCc("a@x.com, B@x.com; a@x.com  c@y.org")).toEqual({
      addresses: ["a@x.com", "b@x.com", "c@y.org"],
      invalid: [],
    });
  });

  it("lists what is not an address", () => {
    expect(parseCc("a@x.com, nope, b@")).toEqual({ addresses: ["a@x.com"], invalid: ["nope", "b@"] });
    expect(parseCc("   ")).toEqual({ addresses: [], invalid: [] });
  });
});
