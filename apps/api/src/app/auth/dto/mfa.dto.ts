import type { ChangePasswordRequest, MfaVerifyRequest, StepUpRequest } from '@harbour/domain';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const TOTP = /^\s*\d{3}\s?\d{3}\s*$/;

export class MfaVerifyDto implements MfaVerifyRequest {
  @IsOptional()
  @IsString()
  @Matches(TOTP)
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  recoveryCode?: string;
}

export class MfaConfirmDto {
  @IsString()
  @Matches(TOTP)
  code!: string;
}

export class StepUpDto implements StepUpRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @IsString()
  @Matches(TOTP)
  code!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  /** The policy (length, common passwords, context words) is applied by the service. */
  @IsString()
  @MaxLength(4096)
  newPassword!: string;
}
