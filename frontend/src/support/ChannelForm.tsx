/** Add or change a channel: its names and addresses, the signature that closes replies, and acknowledgements. */
import { Button, Group, Stack, Switch, Textarea, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { FormAlert } from "../admin/FormAlert";
import { formProblems } from "../admin/problems";
import { LIMITS } from "../lib/limits";
import { NS } from "./i18n";

export type Channel = Schemas["ChannelOut"];
export type ChannelDraft = Omit<Channel, "id">;

const FIELDS = ["name", "address", "from_name", "from_address", "signature", "auto_ack"] as const;
const REQUIRED = ["name", "address", "from_name", "from_address"] as const;
// The server's limit on a signature (support.models.SIGNATURE).
const SIGNATURE_LIMIT = 2000;

const EMPTY: ChannelDraft = { name: "", address: "", from_name: "", from_address: "", signature: "", auto_ack: true };

interface ChannelFormProps {
  channel?: Channel;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (draft: ChannelDraft) => void;
  onCancel: () => void;
}

export function ChannelForm({ channel, submitLabel, pending, error, onSubmit, onCancel }: ChannelFormProps) {
  const { t } = useTranslation(NS);
  const { t: tc } = useTranslation();
  const [draft, setDraft] = useState<ChannelDraft>(channel ? { ...channel } : EMPTY);
  const [submitted, setSubmitted] = useState(false);
  const problems = formProblems(error, FIELDS);
  const missing = (field: (typeof REQUIRED)[number]) => submitted && !draft[field].trim() && t("channels.required");
  const set = (field: keyof ChannelDraft) => (value: string | boolean) => setDraft((current) => ({ ...current, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (REQUIRED.every((field) => draft[field].trim())) {
      onSubmit({ ...draft, name: draft.name.trim(), address: draft.address.trim(), from_name: draft.from_name.trim(), from_address: draft.from_address.trim() });
    }
  }

  const text = (field: (typeof REQUIRED)[number], label: string, extra: { description?: string; email?: boolean } = {}) => (
    <TextInput
      label={label}
      description={extra.description}
      withAsterisk
      type={extra.email ? "email" : "text"}
      dir={extra.email ? "ltr" : undefined}
      maxLength={extra.email ? LIMITS.email : LIMITS.name}
      value={draft[field]}
      onChange={(event) => set(field)(event.currentTarget.value)}
      error={missing(field) || problems.fields[field]}
      data-autofocus={field === "name" || undefined}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormAlert error={error} problems={problems} />
        {text("name", t("channels.name"))}
        {text("address", t("channels.address"), { description: t("channels.addressHelp"), email: true })}
        {text("from_name", t("channels.fromName"))}
        {text("from_address", t("channels.fromAddress"), { email: true })}
        <Textarea
          label={t("channels.signature")}
          description={t("channels.signatureHelp")}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={SIGNATURE_LIMIT}
          value={draft.signature}
          onChange={(event) => set("signature")(event.currentTarget.value)}
          error={problems.fields.signature}
        />
        <Switch
          label={t("channels.autoAck")}
          description={t("channels.autoAckHelp")}
          checked={draft.auto_ack}
          onChange={(event) => set("auto_ack")(event.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {tc("common.cancel")}
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
