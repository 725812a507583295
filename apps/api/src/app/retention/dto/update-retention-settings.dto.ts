import {
  RETENTION_CLASSES,
  type RetentionClass,
  type UpdateRetentionSettingsRequest,
} from '@harbour/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, Min } from 'class-validator';
import { IsNested, IsOptionalOrNull } from '../../../infra/http/validation-rules';

/** One class's setting; its bounds depend on the class and are checked by the service. */
export class RetentionPolicyDto {
  @IsIn(RETENTION_CLASSES)
  class!: RetentionClass;

  /** Units of the class (months or days) to keep; null keeps forever where allowed. */
  @IsOptionalOrNull()
  @IsInt()
  keep!: number | null;
}

export class UpdateRetentionSettingsDto implements UpdateRetentionSettingsRequest {
  /** The settings' version as read (0 while every class has its default). */
  @IsInt()
  @Min(0)
  version!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(RETENTION_CLASSES.length)
  @IsNested(() => RetentionPolicyDto, true)
  policies!: RetentionPolicyDto[];
}
