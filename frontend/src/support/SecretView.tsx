/**
 * A channel's secret, the one time it is shown (on create and on rotate): a warning, the secret and
 * the inbound URL the mail gateway posts to, each with a copy button.
 */
import { Alert, Button, Group, Stack } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { CopyableValue } from "../components/CopyableValue";
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
      <CopyableValue
        label={t("channels.secret")}
        value={channel.secret}
        copyLabel={t("channels.copySecret")}
        copiedLabel={t("channels.copied")}
        testId="channel-secret"
      />
      <CopyableValue
        label={t("channels.inboundUrl")}
        value={inboundUrl(channel.id)}
        copyLabel={t("channels.copyUrl")}
        copiedLabel={t("channels.copied")}
        testId="channel-url"
      />
      <Group justify="flex-end">
        <Button onClick={onDone} data-autofocus>
          {t("channels.secretSaved")}
        </Button>
      </Group>
    </Stack>
  );
}
