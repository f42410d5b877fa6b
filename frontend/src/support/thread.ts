/**
 * A ticket's emails as the workspace shows them: one list (pages merged, each message once) in the
 * order the desk took them in, when each was written, whether it carries quoted history worth a
 * toggle, and what marks it needs (not from the customer or anyone on copy, automatic, the desk's
 * own acknowledgement or rating request).
 */
import type { Schemas } from "../api/client";

export type TicketMessage = Schemas["MessageOut"];
export type Ticket = Schemas["TicketOut"];

/** When the message was written or sent, as well as the desk knows; the time it was stored otherwise. */
export function messageTime(message: TicketMessage): string {
  return message.received_at ?? message.sent_at ?? message.created_at;
}

/**
 * Oldest first by the time the desk stored them (as the server lists them), each message once: a
 * reply just sent may arrive both from the send and from the refetched list.
 */
export function threadOrder(messages: readonly TicketMessage[]): TicketMessage[] {
  const byId = new Map<string, TicketMessage>();
  for (const message of messages) byId.set(message.id, message);
  return [...byId.values()].sort(
    (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** True when the full message says more than its new part (the quoted history, a signature block). */
export function hasQuotedHistory(message: TicketMessage): boolean {
  if (message.html) return true;
  return message.text.trim() !== message.new_text.trim() && message.text.trim() !== "";
}

/** What the reader sees by default: the new part, or the whole text when the new part is empty. */
export function shownText(message: TicketMessage): string {
  return message.new_text.trim() ? message.new_text : message.text;
}

export type MessageMark = "flagged" | "automatic" | "acknowledgement" | "csatRequest";

export function messageMarks(message: TicketMessage): MessageMark[] {
  const marks: MessageMark[] = [];
  if (message.flagged) marks.push("flagged");
  if (message.kind === "acknowledgement") marks.push("acknowledgement");
  else if (message.kind === "csat_request") marks.push("csatRequest");
  else if (message.auto_submitted) marks.push("automatic");
  return marks;
}

/** Tags as the server keeps them: trimmed, lower-case, each once, in the order given. */
export function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLocaleLowerCase()).filter(Boolean))];
}

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** Copy addresses typed as one line ("a@x.com, b@y.org; c@z.net"): the good ones once each, and the rest. */
export function parseCc(text: string): { addresses: string[]; invalid: string[] } {
  const words = text
    .split(/[\s,;]+/)
    .map((word) => word.trim())
    .filter(Boolean);
  const addresses = [...new Set(words.filter((word) => ADDRESS.test(word)).map((word) => word.toLowerCase()))];
  const invalid = words.filter((word) => !ADDRESS.test(word));
  return { addresses, invalid };
}
