import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  OPENAPI_FILE,
  buildOpenApiDocument,
  createDocumentApp,
  serialiseOpenApiDocument,
} from './openapi-document';

/**
 * `npm run openapi`: writes apps/api/openapi.json from the controllers and their DTOs, with no
 * database. Commit the result; the unit test `openapi.spec.ts` fails while it is out of date.
 */
async function main(): Promise<void> {
  const app = await createDocumentApp();
  try {
    writeFileSync(OPENAPI_FILE, serialiseOpenApiDocument(buildOpenApiDocument(app)));
    process.stdout.write(`wrote ${relative(process.cwd(), OPENAPI_FILE)}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
