import type { ChangePasswordRequest, MfaVerifyRequest, StepUpRequest } from '@harbour/domain';
import { IsOptional, IsString, Matches } from 'class-validator';
import { composeRules, IsPassword, IsText } from '../../../infra/http/validation-rules';

/** A six-digit TOTP code, perhaps with a space in the middle and around it. */
const IsTotpCode = (): PropertyDecorator =>
  composeRules(IsString(), Matches(/^\s*\d{3}\s?\d{3}\s*$/));

export class MfaVerifyDto implements MfaVerifyRequest {
  @IsOptional()
  @IsTotpCode()
  code?: string;

  @IsOptional()
  @IsText(32)
  recoveryCode?: string;
}

export class MfaConfirmDto {
  @IsTotpCode()
  code!: string;
}

export class StepUpDto implements StepUpRequest {
  @IsPassword()
  password!: string;

  @IsTotpCode()
  code!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @IsPassword()
  currentPassword!: string;

  /** The policy (length, common passwords, context words) is applied by the service. */
  @IsText(4096)
  newPassword!: string;
}
