import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../../infra/auth/access';
import { NoTransaction } from '../../core/scope/transaction.interceptor';
// The committed contract (`npm run openapi` writes it; a unit test keeps it in step with the code).
import document from '../../../openapi.json';

/** The parts of an OpenAPI 3.0 document its readers rely on (the rest is OpenAPI's own). */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; contact?: object };
  paths: Record<string, object>;
  components: Record<string, Record<string, object>>;
  servers?: object[];
  tags?: object[];
}

/**
 * The API contract at `/api/openapi.json` (docs/design.md §11), for client generators and the
 * robustness tests. It describes routes and shapes only, nothing about any organisation, so it
 * is public like the health checks. No interactive `/api/docs` page: its scripts and styles
 * would need exceptions to the console's Content-Security-Policy.
 */
@Controller('api')
@NoTransaction()
export class ApiDocsController {
  @Get('openapi.json')
  @Public()
  @Header('Content-Type', 'application/json; charset=utf-8')
  openapi(): OpenApiDocument {
    return document;
  }
}
