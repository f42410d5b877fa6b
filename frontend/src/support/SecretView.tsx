/**
 * A channel's secret, the one time it is shown (on create and on rotate): a warning, the secret and
 * the inbound URL the mail gateway posts to, each with a copy button.
 */
import { ActionIcon, Alert, Button, Code, CopyButton, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { NS } from "./i18n";

export type ChannelWithSecret = Schemas["ChannelWithSecretOut"];

function inboundUrl(channelId: string, origin = window.location.origin): string {
  return `${origin}/api/v1/support/inbound/${channelId}`;
}

export function SecretView({ channel, onDone }: { channel: ChannelWithSecret; onDone: () => void }) {
  const { t } = useTranslation(NS);
  return (
    <Stack>
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t("channels.secretWarningTitle")} role="alert">
        {t("channels.secretWarning")}
      </Alert>
      <Field label={t("channels.secret")} value={channel.secret} copyLabel={t("channels.copySecret")} testId="channel-secret" />
      <Field label={t("channels.inboundUrl")} value={inboundUrl(channel.id)} copyLabel={t("channels.copyUrl")} testId="channel-url" />
      <Group justify="flex-end">
        <Button onClick={onDone} data-autofocus>
          {t("channels.secretSaved")}
        </Button>
      </Group>
    </Stack>
  );
}

function Field({ label, value, copyLabel, testId }: { label: string; value: string; copyLabel: string; testId: string }) {
  const { t } = useTranslation(NS);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block dir="ltr" style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t("channels.copied") : copyLabel} withArrow>
              <ActionIcon variant="subtle" color={copied ? "teal" : "gray"} onClick={copy} aria-label={copyLabel}>
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
