import {
  ROLES,
  type CreateUserRequest,
  type Role,
  type StaffStatus,
  type UpdateUserRequest,
} from '@harbour/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class CreateUserDto implements CreateUserRequest {
  @IsEmail({ require_tld: false })
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

export class UpdateUserDto implements UpdateUserRequest {
  @IsInt()
  @Min(1)
  version!: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: StaffStatus;
}
