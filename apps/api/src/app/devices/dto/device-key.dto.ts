import { DEVICE_ID_PATTERN, type DeviceKeyRequest } from '@harbour/domain';
import { IsString, Matches } from 'class-validator';
import { composeRules } from '../../../infra/http/validation-rules';

export class DeviceKeyDto implements DeviceKeyRequest {
  /** 128 random bits the console made for this browser profile, base64url (not a secret). */
  @composeRules(IsString(), Matches(DEVICE_ID_PATTERN))
  deviceId!: string;
}
