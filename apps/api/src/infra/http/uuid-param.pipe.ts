import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from '@harbour/domain';
import { NotFoundError } from './domain-error';

/** Path ids must be canonical UUIDs; anything else is "not found", like another tenant's id. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError();
    return value;
  }
}
