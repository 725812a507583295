import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { Response } from 'express';
import type { SubjectExportFormat } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { ResponseBody } from '../../infra/http/response-body';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { Clock } from '../../infra/time/clock';
import { ErasureReceiptQueryDto, SubjectExportDto } from './dto/subject-export.dto';
import { renderErasureReceiptHtml, renderSubjectExportHtml } from './subject-export.html';
import { SubjectExportService } from './subject-export.service';

/**
 * A person's own data (subject access) and their erasure receipt, as files: coordinators only
 * (`case:erase`, the coordinator permission of the rules on people), with a fresh step-up, as
 * every export. One access event per file; the file name holds the pseudonymous code only.
 */
@Controller('api/persons')
export class SubjectExportController {
  constructor(
    private readonly exports: SubjectExportService,
    private readonly clock: Clock,
  ) {}

  @Post(':id/subject-export')
  @HttpCode(200)
  @Audit('person.subject_exported', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:erase')
  @RequireStepUp()
  @ResponseBody({ 'application/json': 'SubjectExport', 'text/html': 'text' })
  async export(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SubjectExportDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const document = await this.exports.export(scope, id, body);
    const content =
      body.format === 'html'
        ? renderSubjectExportHtml(document)
        : JSON.stringify(document, null, 2);
    return attachment(res, `harbour-${document.code}-own-data`, body.format, content);
  }

  @Get(':id/erasure-receipt')
  @Audit('person.erasure_receipt_downloaded', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:erase')
  @RequireStepUp()
  @ResponseBody({ 'application/json': 'ErasureReceiptRecord', 'text/html': 'text' })
  async receipt(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: ErasureReceiptQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const receipt = await this.exports.receipt(scope, id);
    const format = query.format ?? 'json';
    const content =
      format === 'html'
        ? renderErasureReceiptHtml(receipt, query.language ?? 'en', this.clock.now().toISOString())
        : JSON.stringify(receipt, null, 2);
    return attachment(res, `harbour-${receipt.code}-erasure-receipt`, format, content);
  }
}

function attachment(
  res: Response,
  name: string,
  format: SubjectExportFormat,
  content: string,
): StreamableFile {
  res.setHeader(
    'Content-Type',
    format === 'html' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
  );
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  return new StreamableFile(Buffer.from(content, 'utf8'));
}
