/**
 * The keying workspace's shortcuts: an action per key combination, re-bindable by the agent and
 * kept in this browser (localStorage). Enter (next field, and at the last one save) is the
 * workspace's own and cannot be taken. The document viewer's actions (zoom, page) use Alt so that
 * they never reach a field as typing.
 */

export const VIEWER_ACTIONS = ["zoomIn", "zoomOut", "nextPage", "previousPage"] as const;
export const ACTIONS = [
  "saveRecord",
  "nextRecord",
  "previousRecord",
  "previousField",
  "firstPending",
  "revert",
  ...VIEWER_ACTIONS,
] as const;
export type Action = (typeof ACTIONS)[number];
export type ViewerAction = (typeof VIEWER_ACTIONS)[number];
export type Bindings = Record<Action, string>;

export const DEFAULT_BINDINGS: Bindings = {
  saveRecord: "Ctrl+Enter",
  nextRecord: "PageDown",
  previousRecord: "PageUp",
  previousField: "Shift+Enter",
  firstPending: "Alt+Home",
  revert: "Escape",
  zoomIn: "Alt+=",
  zoomOut: "Alt+-",
  nextPage: "Alt+PageDown",
  previousPage: "Alt+PageUp",
};

export const STORAGE_KEY = "bo-saas.data-entry.shortcuts";
const RESERVED = new Set(["Enter", "Tab", "Shift+Tab"]);
const MODIFIERS = new Set(["Control", "Alt", "Shift", "Meta", "AltGraph", "CapsLock"]);

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** "Ctrl+Shift+K" for a key press; null while only a modifier is down. */
export function comboOf(event: KeyLike): string | null {
  if (MODIFIERS.has(event.key)) return null;
  const key = event.key === " " ? "Space" : event.key.length === 1 ? event.key.toUpperCase() : event.key;
  const parts = [event.ctrlKey && "Ctrl", event.altKey && "Alt", event.shiftKey && key.length > 1 && "Shift", event.metaKey && "Meta"];
  return [...parts.filter(Boolean), key].join("+");
}

/** The action a combination is bound to, if any. */
export function actionFor(combo: string | null, bindings: Bindings): Action | null {
  if (!combo) return null;
  return ACTIONS.find((action) => bindings[action] === combo) ?? null;
}

/** Why a combination cannot be bound to `action` ("reserved", or the action that has it), or null. */
export function bindingConflict(combo: string, action: Action, bindings: Bindings): "reserved" | Action | null {
  if (RESERVED.has(combo)) return "reserved";
  const holder = actionFor(combo, bindings);
  return holder && holder !== action ? holder : null;
}

/** The stored bindings over the defaults; anything unreadable or unknown is left at its default. */
export function loadBindings(storage: Pick<Storage, "getItem">): Bindings {
  const bindings = { ...DEFAULT_BINDINGS };
  try {
    const stored: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "{}");
    if (stored && typeof stored === "object") {
      for (const action of ACTIONS) {
        const combo = (stored as Record<string, unknown>)[action];
        if (typeof combo === "string" && combo && !RESERVED.has(combo)) bindings[action] = combo;
      }
    }
  } catch {
    // A hand-edited or damaged entry: the defaults stand.
  }
  return bindings;
}

export function saveBindings(storage: Pick<Storage, "setItem">, bindings: Bindings): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(bindings));
}
