import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  type ConsentMethod,
  type ConsentPurpose,
  type RecordConsentRequest,
  type RevokeConsentRequest,
} from '@harbour/domain';
import { IsIn, IsInt, Min } from 'class-validator';

export class RecordConsentDto implements RecordConsentRequest {
  @IsIn(CONSENT_PURPOSES) purpose!: ConsentPurpose;
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
}

export class RevokeConsentDto implements RevokeConsentRequest {
  @IsInt() @Min(1) version!: number;
}
