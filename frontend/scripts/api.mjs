// The typed API client's types, generated from the app's OpenAPI document.
//   node scripts/api.mjs generate   write src/api/openapi.json (from the app) and src/api/schema.d.ts
//   node scripts/api.mjs check      fail when schema.d.ts does not match the committed openapi.json
// (tests/test_openapi.py fails when openapi.json itself no longer matches the app.)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const documentPath = join(root, "src/api/openapi.json");
const typesPath = join(root, "src/api/schema.d.ts");
const generator = join(root, "node_modules/.bin/openapi-typescript");

function writeTypes(target) {
  execFileSync(generator, [documentPath, "--output", target, "--root-types"], { stdio: "pipe" });
}

const command = process.argv[2];
if (command === "generate") {
  const cli = resolve(root, "../.venv/bin/bo-saas");
  execFileSync(cli, ["openapi", "--output", documentPath], { stdio: "inherit" });
  writeTypes(typesPath);
  console.log(`wrote ${documentPath} and ${typesPath}`);
} else if (command === "check") {
  const folder = mkdtempSync(join(tmpdir(), "bo-saas-api-"));
  try {
    const fresh = join(folder, "schema.d.ts");
    writeTypes(fresh);
    if (readFileSync(fresh, "utf8") !== readFileSync(typesPath, "utf8")) {
      console.error("src/api/schema.d.ts is stale: run `npm run api:generate` in frontend/ and commit the result");
      process.exit(1);
    }
    console.log("src/api/schema.d.ts matches src/api/openapi.json");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
} else {
  console.error("usage: node scripts/api.mjs generate|check");
  process.exit(2);
}
