import type { CSSProperties } from "react";

/**
 * How to lay out text people wrote (titles, messages, reasons, answers): its own lines kept and
 * long words broken. Wrap the text itself in <bdi>, so an English sentence in the Arabic screen
 * (or the reverse) keeps its punctuation where its writer put it while lining up with the screen.
 */
export const USER_TEXT: CSSProperties = { whiteSpace: "pre-wrap", overflowWrap: "anywhere" };
