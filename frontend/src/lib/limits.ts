/**
 * The longest text each form field takes, in characters: the API's own limits (`bo_saas/lib/limits.py`,
 * published as `maxLength` in the OpenAPI document). `limits.test.ts` checks every number here against
 * `src/api/openapi.json`, so a changed limit fails the tests until this file follows. Read from here
 * rather than from the document itself: importing the document would put all of it in the bundle.
 */
export const LIMITS = {
  name: 200,
  email: 320,
  password: 1024,
  slug: 63,
  timezone: 64,
  title: 300,
  reason: 5000,
  suspensionReason: 500,
  body: 20_000,
  description: 500,
  url: 2048,
  address: 1000,
  taxId: 40,
  search: 200,
} as const;
