import { describe, expect, it } from "vitest";
import document from "../api/openapi.json";
import { LIMITS } from "./limits";

interface Property {
  maxLength?: number;
  oneOf?: { maxLength?: number }[];
}
interface Document {
  components: { schemas: Record<string, { properties: Record<string, Property> }> };
  paths: Record<string, { get: { parameters: { name: string; schema: Property }[] } }>;
}
const api = document as unknown as Document;

/** Litestar writes an optional field's limit beside its oneOf. */
function maxLength(schema: string, field: string): number | undefined {
  const property = api.components.schemas[schema]?.properties?.[field];
  return property?.maxLength ?? property?.oneOf?.find((option) => option.maxLength)?.maxLength;
}

// Where the API declares each limit the forms use.
const DECLARED_AT: Record<Exclude<keyof typeof LIMITS, "search">, [string, string]> = {
  name: ["UserInvite", "name"],
  email: ["UserInvite", "email"],
  password: ["InvitationAccept", "password"],
  slug: ["TenantCreate", "slug"],
  timezone: ["TenantCreate", "timezone"],
  title: ["WorkItemCreate", "title"],
  reason: ["TransitionCreate", "reason"],
  suspensionReason: ["Suspension", "reason"],
  body: ["CommentCreate", "body"],
  description: ["WebhookEndpointCreate", "description"],
  url: ["WebhookEndpointCreate", "url"],
  address: ["BillingProfileIn", "address"],
  taxId: ["BillingProfileIn", "tax_id"],
};

describe("form limits", () => {
  it.each(Object.entries(DECLARED_AT))("%s is the API's maxLength", (limit, [schema, field]) => {
    expect(maxLength(schema, field)).toBe(LIMITS[limit as keyof typeof LIMITS]);
  });

  it("the search box takes what the item search takes", () => {
    const parameters = api.paths["/api/v1/work-items"].get.parameters;
    expect(parameters.find((parameter) => parameter.name === "q")?.schema.maxLength).toBe(LIMITS.search);
  });
});
