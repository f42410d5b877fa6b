/**
 * A value shown once for the user to keep (a secret, a client id, an address): labelled, in a
 * left-to-right code block (also in Arabic), with a copy button.
 */
import { ActionIcon, Code, CopyButton, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

/** A copy button whose tooltip says `copiedLabel` once the value is on the clipboard. */
export function CopyValue({ value, label, copiedLabel }: { value: string; label: string; copiedLabel: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? copiedLabel : label} withArrow>
          <ActionIcon variant="subtle" color={copied ? "teal" : "gray"} onClick={copy} aria-label={label}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

export function CopyableValue({
  label,
  value,
  copyLabel,
  copiedLabel,
  testId,
}: {
  label: string;
  value: string;
  copyLabel: string;
  copiedLabel: string;
  testId?: string;
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block dir="ltr" style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }} data-testid={testId}>
          {value}
        </Code>
        <CopyValue value={value} label={copyLabel} copiedLabel={copiedLabel} />
      </Group>
    </Stack>
  );
}
