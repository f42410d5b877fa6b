/**
 * Pick a macro by keyboard alone: the dialog opens with the search focused; typing filters, the
 * arrow keys move through the matches, Enter picks, Escape closes. A click picks too.
 */
import { Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { USER_TEXT } from "../items/userText";
import { NS } from "./i18n";
import { filterMacros, type Macro, moveHighlight } from "./macros";
import classes from "./MacroPicker.module.css";

interface MacroPickerProps {
  opened: boolean;
  macros: Macro[];
  loading: boolean;
  onPick: (macro: Macro) => void;
  onClose: () => void;
}

export function MacroPicker({ opened, macros, loading, onPick, onClose }: MacroPickerProps) {
  const { t } = useTranslation(NS);
  return (
    <Modal opened={opened} onClose={onClose} title={t("picker.title")} size="lg" data-testid="macro-picker">
      {/* Mounted afresh each time, so every opening starts with an empty search. */}
      {opened && <PickerBody macros={macros} loading={loading} onPick={onPick} />}
    </Modal>
  );
}

function PickerBody({ macros, loading, onPick }: Pick<MacroPickerProps, "macros" | "loading" | "onPick">) {
  const { t } = useTranslation(NS);
  const [query, setQuery] = useState("");
  const [highlight, setHighlight] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const matches = filterMacros(macros, query);
  const active = matches.length ? Math.min(Math.max(highlight, 0), matches.length - 1) : -1;
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setHighlight(moveHighlight(active, event.key === "ArrowDown" ? 1 : -1, matches.length));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0) onPick(matches[active]);
    }
  }

  return (
    <Stack gap="sm">
      <TextInput
        label={t("picker.search")}
        placeholder={t("picker.searchPlaceholder")}
        leftSection={<IconSearch size={16} />}
        value={query}
        onChange={(event) => {
          setQuery(event.currentTarget.value);
          setHighlight(0);
        }}
        onKeyDown={keyDown}
        data-autofocus
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? optionId(active) : undefined}
      />
      <ScrollArea.Autosize mah={320} type="auto">
        <div role="listbox" id={listId} aria-label={t("picker.list")} ref={listRef} className={classes.list}>
          {matches.map((macro, index) => (
            <UnstyledButton
              key={macro.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              data-index={index}
              tabIndex={-1}
              className={classes.option}
              onMouseEnter={() => setHighlight(index)}
              onClick={() => onPick(macro)}
            >
              <Text size="sm" fw={600}>
                <bdi>{macro.name}</bdi>
              </Text>
              <Text size="xs" c="dimmed" lineClamp={2} style={USER_TEXT}>
                <bdi>{macro.body}</bdi>
              </Text>
            </UnstyledButton>
          ))}
        </div>
        {!loading && matches.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="md" role="status">
            {macros.length ? t("picker.none") : t("picker.noMacros")}
          </Text>
        )}
      </ScrollArea.Autosize>
      <Text size="xs" c="dimmed">
        {t("picker.help")}
      </Text>
    </Stack>
  );
}
