/** Which row a dialog is about, and whether it is open. */
import { useCallback, useState } from "react";

export interface Dialog<T> {
  /** The row the dialog is about; kept after closing so the closing animation still has it. */
  target: T | null;
  opened: boolean;
  open: (target: T) => void;
  close: () => void;
}

export function useDialog<T>(): Dialog<T> {
  const [target, setTarget] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  const open = useCallback((next: T) => {
    setTarget(next);
    setOpened(true);
  }, []);
  const close = useCallback(() => setOpened(false), []);
  return { target, opened, open, close };
}
