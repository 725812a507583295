import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../../infra/auth/access';
import { NoTransaction } from '../../core/scope/transaction.interceptor';
// The committed contract (`npm run openapi` writes it; a unit test keeps it in step with the code).
import document from '../../../openapi.json';

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
  openapi(): unknown {
    return document;
  }
}
