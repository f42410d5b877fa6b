import { describe, expect, it } from "vitest";
import { actionFor, bindingConflict, comboOf, DEFAULT_BINDINGS, loadBindings, saveBindings, STORAGE_KEY } from "./shortcuts";

const press = (key: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

function memory(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe("comboOf", () => {
  it("names a press with its modifiers, letters in upper case", () => {
    expect(comboOf(press("Enter", { ctrlKey: true }))).toBe("Ctrl+Enter");
    expect(comboOf(press("k", { altKey: true }))).toBe("Alt+K");
    expect(comboOf(press("PageDown"))).toBe("PageDown");
    expect(comboOf(press("Enter", { shiftKey: true }))).toBe("Shift+Enter");
  });

  it("leaves Shift out of a typed character (it is in the character) and ignores a lone modifier", () => {
    expect(comboOf(press("?", { shiftKey: true }))).toBe("?");
    expect(comboOf(press("Control", { ctrlKey: true }))).toBeNull();
  });
});

describe("bindings", () => {
  it("finds the action bound to a press", () => {
    expect(actionFor("PageDown", DEFAULT_BINDINGS)).toBe("nextRecord");
    expect(actionFor("Alt+Z", DEFAULT_BINDINGS)).toBeNull();
  });

  it("refuses Enter and Tab, and a combination another action holds", () => {
    expect(bindingConflict("Enter", "nextRecord", DEFAULT_BINDINGS)).toBe("reserved");
    expect(bindingConflict("PageUp", "nextRecord", DEFAULT_BINDINGS)).toBe("previousRecord");
    expect(bindingConflict("PageDown", "nextRecord", DEFAULT_BINDINGS)).toBeNull();
  });

  it("keeps a change in storage and reads it back over the defaults", () => {
    const storage = memory();
    saveBindings(storage, { ...DEFAULT_BINDINGS, nextRecord: "Alt+N" });
    expect(loadBindings(storage)).toEqual({ ...DEFAULT_BINDINGS, nextRecord: "Alt+N" });
  });

  it("falls back to the defaults for a damaged or reserved entry", () => {
    expect(loadBindings(memory({ [STORAGE_KEY]: "{not json" }))).toEqual(DEFAULT_BINDINGS);
    expect(loadBindings(memory({ [STORAGE_KEY]: JSON.stringify({ saveRecord: "Enter", revert: 3 }) }))).toEqual(DEFAULT_BINDINGS);
  });
});
