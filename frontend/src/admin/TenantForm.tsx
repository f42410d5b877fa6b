/**
 * The tenant form. Onboarding takes the tenant's first client admin, whom the server invites by
 * email in the same transaction as the tenant (an address that already has an account refuses the
 * whole onboarding, and its words show beside the address). Editing changes name, plan and
 * services. Either way the services offered follow the chosen plan (planServices.ts).
 */
import { Button, Fieldset, Group, MultiSelect, Select, Stack, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../api/client";
import { LIMITS } from "../lib/limits";
import type { TenantOut } from "../lib/tenants";
import { PLANS, timeZoneOptions } from "./catalog";
import { FormAlert } from "./FormAlert";
import { orderedPlans, serviceChoices, servicesOutsidePlan } from "./planServices";
import { formProblems } from "./problems";

const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const EMAIL_PATTERN = /^\S+@\S+$/;
const TENANT_FIELDS = [
  "slug",
  "name",
  "plan",
  "timezone",
  "services",
  "first_admin.name",
  "first_admin.email",
] as const;

/** A slug suggested from the name while the person has not typed one: "Acme Trading" → "acme-trading". */
function slugFrom(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

function usePlans() {
  return useQuery({
    queryKey: ["plans"],
    queryFn: () => unwrap(api.GET("/api/v1/plans")),
    staleTime: 10 * 60_000,
    select: orderedPlans,
  });
}

/** Onboard a tenant (no `tenant`), or change an existing one's name, plan and services. */
export function TenantForm({ tenant, onDone }: { tenant?: TenantOut; onDone: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const plans = usePlans();
  const [name, setName] = useState(tenant?.name ?? "");
  const [slug, setSlug] = useState<string | null>(null);
  const [plan, setPlan] = useState(tenant?.plan ?? "starter");
  const [timezone, setTimezone] = useState<string | null>(tenant?.timezone ?? null);
  const [services, setServices] = useState<string[]>(tenant?.services ?? []);
  const [adminName, setAdminName] = useState("");
  const [adminEmail, setAdminEmail] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const zones = useMemo(() => timeZoneOptions(tenant?.timezone), [tenant?.timezone]);
  const effectiveSlug = slug ?? slugFrom(name);
  const chosenPlan = plans.data?.find((option) => option.code === plan);
  const outside = servicesOutsidePlan(chosenPlan, services);
  const planLabel = (code: string) => t(`plan.${code}`, { defaultValue: chosenPlan?.name ?? code });

  const save = useMutation({
    mutationFn: (): Promise<TenantOut> => {
      if (tenant) {
        const body: Schemas["TenantUpdate"] = { name: name.trim(), plan, services };
        return unwrap(api.PATCH("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenant.id } }, body }));
      }
      const body: Schemas["TenantCreate"] = {
        slug: effectiveSlug,
        name: name.trim(),
        plan,
        timezone: timezone!,
        services,
        first_admin: { name: adminName.trim(), email: adminEmail.trim() },
      };
      return unwrap(api.POST("/api/v1/tenants", { body }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ["tenants"] });
      notifications.show({
        color: "teal",
        message: tenant
          ? t("tenants.savedNotice", { name: saved.name })
          : t("tenants.onboardedNotice", { name: saved.name, email: adminEmail.trim() }),
      });
      onDone();
    },
  });
  const problems = formProblems(save.error, TENANT_FIELDS);
  const invalid = {
    name: !name.trim(),
    slug: !tenant && !SLUG_PATTERN.test(effectiveSlug),
    timezone: !tenant && !timezone,
    adminName: !tenant && !adminName.trim(),
    adminEmail: !tenant && !EMAIL_PATTERN.test(adminEmail.trim()),
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!Object.values(invalid).some(Boolean) && !outside.length) save.mutate();
  }

  const shown = (field: keyof typeof invalid, message: string) => (submitted && invalid[field] && message) || undefined;
  // Shown as soon as it is true (a plan change can cause it), not only after submitting.
  const outsideMessage = outside.length
    ? t("tenants.servicesOutsidePlan", {
        services: outside.map((code) => t(`service.${code}`, { defaultValue: code })).join(", "),
        plan: planLabel(plan),
      })
    : undefined;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormAlert error={save.error} problems={problems} />
        <TextInput
          label={t("tenants.name")}
          withAsterisk
          maxLength={LIMITS.name}
          data-autofocus
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={shown("name", t("form.required")) ?? problems.fields.name}
        />
        {!tenant && (
          <TextInput
            label={t("tenants.slug")}
            description={t("tenants.slugHelp")}
            withAsterisk
            dir="ltr"
            maxLength={LIMITS.slug}
            value={effectiveSlug}
            onChange={(event) => setSlug(event.currentTarget.value.toLowerCase())}
            error={shown("slug", t("tenants.slugInvalid")) ?? problems.fields.slug}
          />
        )}
        <Select
          label={t("tenants.plan")}
          allowDeselect={false}
          value={plan}
          onChange={(value) => value && setPlan(value)}
          data={(plans.data?.map((option) => option.code) ?? [...PLANS]).map((code) => ({
            value: code,
            label: t(`plan.${code}`, { defaultValue: plans.data?.find((p) => p.code === code)?.name ?? code }),
          }))}
          error={problems.fields.plan}
        />
        {!tenant && (
          <Select
            label={t("tenants.timezone")}
            description={t("tenants.timezoneHelp")}
            withAsterisk
            searchable
            nothingFoundMessage={t("nothingFound")}
            placeholder={t("tenants.timezonePlaceholder")}
            value={timezone}
            onChange={(value) => setTimezone(value)}
            data={zones}
            maxDropdownHeight={260}
            error={shown("timezone", t("form.required")) ?? problems.fields.timezone}
          />
        )}
        <MultiSelect
          label={t("tenants.services")}
          description={t("tenants.servicesForPlan", { plan: planLabel(plan) })}
          value={services}
          onChange={setServices}
          data={serviceChoices(chosenPlan, services).map((code) => ({
            value: code,
            label: t(`service.${code}`, { defaultValue: code }),
          }))}
          error={outsideMessage ?? problems.fields.services}
        />
        {!tenant && (
          <Fieldset legend={t("tenants.firstAdmin")} variant="filled">
            <Stack gap="sm">
              <TextInput
                label={t("tenants.firstAdminName")}
                withAsterisk
                maxLength={LIMITS.name}
                value={adminName}
                onChange={(event) => setAdminName(event.currentTarget.value)}
                error={shown("adminName", t("form.required")) ?? problems.fields["first_admin.name"]}
              />
              <TextInput
                label={t("tenants.firstAdminEmail")}
                description={t("tenants.firstAdminHelp")}
                withAsterisk
                type="email"
                autoComplete="off"
                dir="ltr"
                maxLength={LIMITS.email}
                value={adminEmail}
                onChange={(event) => {
                  setAdminEmail(event.currentTarget.value);
                  // The server's words were about the address as it was; a new one has not been refused.
                  if (problems.fields["first_admin.email"]) save.reset();
                }}
                error={shown("adminEmail", t("form.emailNeeded")) ?? problems.fields["first_admin.email"]}
              />
            </Stack>
          </Fieldset>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common:common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {tenant ? t("common:common.save") : t("tenants.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
