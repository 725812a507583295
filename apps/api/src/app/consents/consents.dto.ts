import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  type ConsentMethod,
  type ConsentPurpose,
  type RecordConsentRequest,
  type RevokeConsentRequest,
} from '@harbour/domain';
import { IsIn } from 'class-validator';
import { IsRecordVersion } from '../../infra/http/validation-rules';

export class RecordConsentDto implements RecordConsentRequest {
  @IsIn(CONSENT_PURPOSES) purpose!: ConsentPurpose;
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
}

export class RevokeConsentDto implements RevokeConsentRequest {
  @IsRecordVersion() version!: number;
}
