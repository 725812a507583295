import {
  ROLES,
  type CreateUserRequest,
  type Role,
  type StaffStatus,
  type UpdateUserRequest,
} from '@harbour/domain';
import { IsIn, IsOptional } from 'class-validator';
import {
  IsEmailAddress,
  IsName,
  IsRecordVersion,
  IsSubsetOf,
} from '../../../infra/http/validation-rules';

export class CreateUserDto implements CreateUserRequest {
  @IsEmailAddress()
  email!: string;

  @IsName()
  displayName!: string;

  @IsSubsetOf(ROLES, 1)
  roles!: Role[];
}

export class UpdateUserDto implements UpdateUserRequest {
  @IsRecordVersion()
  version!: number;

  @IsOptional()
  @IsName()
  displayName?: string;

  @IsOptional()
  @IsSubsetOf(ROLES, 1)
  roles?: Role[];

  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: StaffStatus;
}
