import type { LoginRequest } from '@harbour/domain';
import { IsEmailAddress, IsPassword } from '../../../infra/http/validation-rules';

export class LoginDto implements LoginRequest {
  @IsEmailAddress()
  email!: string;

  @IsPassword()
  password!: string;
}
