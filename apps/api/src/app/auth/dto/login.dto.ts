import type { LoginRequest } from '@harbour/domain';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto implements LoginRequest {
  @IsEmail({ allow_display_name: false, require_tld: false })
  @MaxLength(254)
  email!: string;

  /** Never truncated; 1024 bounds the hashing cost of absurd inputs (the policy caps at 256). */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}
