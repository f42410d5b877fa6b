/**
 * The tenant's billing profile: who invoices are made out to, where they go, the tax they carry and
 * their language. The server checks the tax number (where the country has a VAT format) and the
 * email; its words show under the field they are about.
 */
import {
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "../admin/FormAlert";
import { formProblems } from "../admin/problems";
import { QueryState } from "../components/QueryState";
import { formatDateTime } from "../lib/format";
import { LIMITS } from "../lib/limits";
import { NS } from "./i18n";
import { formOf, missingFields, type ProfileForm as Form, requestOf } from "./profile";
import { type Profile, useProfile, useSaveProfile } from "./queries";

const FIELDS = [
  "legal_name",
  "address",
  "country",
  "billing_email",
  "tax_id",
  "tax_rate_bp",
  "invoice_language",
] as const;

export function ProfileCard({ tenantId, timeZone }: { tenantId: string | null; timeZone: string }) {
  const { t } = useTranslation(NS);
  const profile = useProfile(tenantId);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="billing-profile-title">
      <Title order={3} size="h4" id="billing-profile-title">
        {t("profile.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("profile.intro")}
      </Text>
      <QueryState query={profile}>
        {(found) => (
          <ProfileForm key={found.updated_at ?? "new"} profile={found} tenantId={tenantId} timeZone={timeZone} />
        )}
      </QueryState>
    </Card>
  );
}

function ProfileForm({ profile, tenantId, timeZone }: { profile: Profile; tenantId: string | null; timeZone: string }) {
  const { t, i18n } = useTranslation(NS);
  const [form, setForm] = useState<Form>(() => formOf(profile, i18n.language));
  const [submitted, setSubmitted] = useState(false);
  const save = useSaveProfile(tenantId);
  const problems = formProblems(save.error, FIELDS);
  const missing = submitted ? missingFields(form) : [];
  const set = <K extends keyof Form>(field: K, value: Form[K]) =>
    setForm((current) => ({ ...current, [field]: value }));
  const fieldError = (field: (typeof FIELDS)[number]) =>
    (missing as string[]).includes(field) ? t("profile.required") : problems.fields[field];

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (missingFields(form).length) return;
    save.mutate(requestOf(form), {
      onSuccess: () => notifications.show({ color: "teal", message: t("profile.saved") }),
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="billing-profile-title" data-testid="billing-profile">
      <Stack>
        {!profile.updated_at && (
          <Text size="sm" c="orange" data-testid="profile-empty">
            {t("profile.empty")}
          </Text>
        )}
        <FormAlert error={save.error} problems={problems} />
        <TextInput
          label={t("profile.legalName")}
          withAsterisk
          maxLength={LIMITS.name}
          value={form.legal_name}
          onChange={(event) => set("legal_name", event.currentTarget.value)}
          error={fieldError("legal_name")}
        />
        <Textarea
          label={t("profile.address")}
          withAsterisk
          autosize
          minRows={2}
          maxRows={5}
          maxLength={LIMITS.address}
          value={form.address}
          onChange={(event) => set("address", event.currentTarget.value)}
          error={fieldError("address")}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("profile.country")}
            description={t("profile.countryHelp")}
            withAsterisk
            dir="ltr"
            maxLength={2}
            autoComplete="country"
            value={form.country}
            onChange={(event) => set("country", event.currentTarget.value.toUpperCase())}
            error={fieldError("country")}
          />
          <TextInput
            label={t("profile.billingEmail")}
            withAsterisk
            type="email"
            dir="ltr"
            maxLength={LIMITS.email}
            value={form.billing_email}
            onChange={(event) => set("billing_email", event.currentTarget.value)}
            error={fieldError("billing_email")}
          />
          <TextInput
            label={t("profile.taxId")}
            description={t("profile.taxIdHelp")}
            dir="ltr"
            maxLength={LIMITS.taxId}
            value={form.tax_id}
            onChange={(event) => set("tax_id", event.currentTarget.value)}
            error={fieldError("tax_id")}
          />
          <NumberInput
            label={t("profile.taxRate")}
            min={0}
            max={100}
            decimalScale={2}
            step={0.5}
            clampBehavior="strict"
            value={form.tax_rate}
            onChange={(value) => set("tax_rate", value)}
            error={fieldError("tax_rate_bp")}
          />
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="billing-invoice-language">
            {t("profile.invoiceLanguage")}
          </Text>
          <SegmentedControl
            aria-labelledby="billing-invoice-language"
            value={form.invoice_language}
            onChange={(value) => set("invoice_language", value === "ar" ? "ar" : "en")}
            data={[
              { value: "en", label: t("language.en") },
              { value: "ar", label: t("language.ar") },
            ]}
            w="fit-content"
          />
          {problems.fields.invoice_language && (
            <Text size="xs" c="red">
              {problems.fields.invoice_language}
            </Text>
          )}
        </Stack>
        <Group justify="space-between" wrap="wrap">
          <Text size="xs" c="dimmed" data-testid="profile-updated">
            {profile.updated_at &&
              t("profile.updated", { time: formatDateTime(profile.updated_at, i18n.language, timeZone) })}
          </Text>
          <Button type="submit" loading={save.isPending}>
            {t("profile.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
