/** The workspace's shortcuts, listed on screen; each can be changed by pressing the new keys (kept in this browser). */
import { Button, Card, Group, Kbd, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { NS } from "./i18n";
import { type Action, ACTIONS, type Bindings, bindingConflict, comboOf, DEFAULT_BINDINGS } from "./shortcuts";

export function ShortcutsPanel({ bindings, onChange }: { bindings: Bindings; onChange: (bindings: Bindings) => void }) {
  const { t } = useTranslation(NS);
  const [listening, setListening] = useState<Action | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  useEffect(() => {
    if (!listening) return;
    const capture = (event: KeyboardEvent) => {
      const combo = comboOf(event);
      if (!combo) return;
      event.preventDefault();
      event.stopPropagation();
      const conflict = bindingConflict(combo, listening, bindings);
      if (conflict === "reserved") setRefusal(t("shortcuts.reserved"));
      else if (conflict) setRefusal(t("shortcuts.taken", { action: t(`shortcuts.${conflict}`) }));
      else {
        setRefusal(null);
        onChange({ ...bindings, [listening]: combo });
      }
      setListening(null);
    };
    window.addEventListener("keydown", capture, true);
    return () => window.removeEventListener("keydown", capture, true);
  }, [listening, bindings, onChange, t]);

  return (
    <Card withBorder padding="sm" data-testid="keying-shortcuts">
      <Stack gap="xs">
        <Title order={4}>{t("shortcuts.title")}</Title>
        <Table verticalSpacing={4} fz="sm">
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>
                <Kbd>Enter</Kbd>
              </Table.Td>
              <Table.Td>{t("shortcuts.enter")}</Table.Td>
              <Table.Td />
            </Table.Tr>
            {ACTIONS.map((action) => (
              <Table.Tr key={action} data-action={action}>
                <Table.Td>{listening === action ? <Text size="xs">{t("shortcuts.press")}</Text> : <Kbd dir="ltr">{bindings[action]}</Kbd>}</Table.Td>
                <Table.Td>{t(`shortcuts.${action}`)}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setListening(action)}
                    aria-label={t("shortcuts.change", { action: t(`shortcuts.${action}`) })}
                  >
                    ⌨
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {refusal && (
          <Text size="xs" c="red" role="alert">
            {refusal}
          </Text>
        )}
        <Group>
          <Button size="compact-xs" variant="light" onClick={() => onChange({ ...DEFAULT_BINDINGS })}>
            {t("shortcuts.reset")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
