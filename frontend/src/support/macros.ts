/**
 * Macros (canned replies) on the client side: which ones match what the agent typed in the picker,
 * how the picker's highlight moves, a preview with the placeholders filled in as the server will
 * fill them (`{name}`; `{{` and `}}` write braces), and the placeholder problems the server refuses.
 */
import type { Schemas } from "../api/client";

export type Macro = Schemas["MacroOut"];

export const PLACEHOLDERS = ["customer_name", "ticket_reference", "agent_name"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

/**
 * The macros for a picker's query, best first: names that start with it, then names that hold it,
 * then bodies that hold it (each group in the list's own order). An empty query keeps them all.
 */
export function filterMacros(macros: readonly Macro[], query: string): Macro[] {
  const wanted = query.trim().toLocaleLowerCase();
  if (!wanted) return [...macros];
  const rank = (macro: Macro): number => {
    const name = macro.name.toLocaleLowerCase();
    if (name.startsWith(wanted)) return 0;
    if (name.includes(wanted)) return 1;
    if (macro.body.toLocaleLowerCase().includes(wanted)) return 2;
    return -1;
  };
  const ranked = macros.map((macro, index) => ({ macro, index, rank: rank(macro) })).filter((entry) => entry.rank >= 0);
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.map((entry) => entry.macro);
}

/** The highlighted row after an arrow key: one step, wrapping at both ends; -1 when there are no rows. */
export function moveHighlight(current: number, step: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return step > 0 ? 0 : count - 1;
  return (((current + step) % count) + count) % count;
}

type Piece = { text: string } | { name: string };

/** A body cut into literal text and `{name}` placeholders; null when its braces do not pair up. */
function pieces(body: string): Piece[] | null {
  const out: Piece[] = [];
  let text = "";
  for (let at = 0; at < body.length; at++) {
    const char = body[at];
    if ((char === "{" || char === "}") && body[at + 1] === char) {
      text += char;
      at++;
    } else if (char === "{") {
      const end = body.indexOf("}", at);
      const name = end < 0 ? "" : body.slice(at + 1, end);
      if (end < 0 || name.includes("{")) return null;
      if (text) out.push({ text });
      text = "";
      out.push({ name });
      at = end;
    } else if (char === "}") {
      return null;
    } else {
      text += char;
    }
  }
  if (text) out.push({ text });
  return out;
}

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/** The body as the customer will read it; a body the server would refuse is shown as written. */
export function fillPlaceholders(body: string, values: PlaceholderValues): string {
  const parts = pieces(body);
  if (!parts || parts.some((part) => "name" in part && !isPlaceholder(part.name))) return body;
  return parts.map((part) => ("text" in part ? part.text : values[part.name as Placeholder])).join("");
}

export type PlaceholderProblem = { kind: "braces" } | { kind: "unknown"; names: string[] };

/** Why the server would refuse this body as a macro (unpaired braces, an unknown placeholder), or null. */
export function placeholderProblem(body: string): PlaceholderProblem | null {
  const parts = pieces(body);
  if (!parts) return { kind: "braces" };
  const unknown = [
    ...new Set(parts.flatMap((part) => ("name" in part && !isPlaceholder(part.name) ? [part.name] : []))),
  ].sort();
  return unknown.length ? { kind: "unknown", names: unknown } : null;
}
