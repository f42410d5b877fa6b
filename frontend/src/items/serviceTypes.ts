/**
 * The service catalog as the screens need it: the list (with each request form) and readable names.
 *
 * The server's names and form labels are English. Built-in services have Arabic twins in
 * `items.json` (`service.*`, `field.*`, `choice.*`); a tenant's custom types show their own words.
 */
import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { api, forTenant, type Schemas, unwrap } from "../api/client";

export type ServiceType = Schemas["ServiceTypeOut"];

/** What the caller may ask for (clients), or the provider's catalog (staff; one tenant's offer with `tenantId`). */
export function useServiceTypes(tenantId?: string) {
  return useQuery({
    queryKey: ["service-types", tenantId ?? "own"],
    queryFn: () => unwrap(api.GET("/api/v1/service-types", forTenant(tenantId))),
    staleTime: 5 * 60_000,
  });
}

/** "book_documents" → "Book documents": a readable stand-in for a code that has no label. */
export function humanize(code: string): string {
  const words = code.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function serviceTypeName(t: TFunction<"items">, code: string, known?: ServiceType): string {
  return t(`service.${code}`, { defaultValue: known?.name ?? humanize(code) });
}

/** A form field's label; the key is scoped to the service so a custom type's field is never mistranslated. */
export function fieldLabel(t: TFunction<"items">, service: string, field: { name: string; label?: string }): string {
  return t(`field.${service}.${field.name}`, { defaultValue: field.label || humanize(field.name) });
}

export function choiceLabel(t: TFunction<"items">, service: string, field: string, value: string): string {
  return t(`choice.${service}.${field}.${value}`, { defaultValue: humanize(value) });
}

/** code → readable name for every service type the caller knows of, for lists and headers. */
export function useServiceTypeNames(): (code: string) => string {
  const { t } = useTranslation("items");
  const types = useServiceTypes();
  return (code) =>
    serviceTypeName(
      t,
      code,
      types.data?.find((type) => type.code === code),
    );
}
