import { MAX_INTAKE_PEOPLE, type BulkIntakeRequest, type IntakePerson } from '@harbour/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional } from 'class-validator';
import {
  ContactEventDto,
  IsNewNeeds,
  IsNotes,
  NewNeedDto,
  NewPersonDto,
} from '../../core/records/records.dto';
import { IsNested } from '../../infra/http/validation-rules';

/** The one contact every person of a group intake had. */
export class IntakeEventDto extends ContactEventDto {}

export class IntakePersonDto extends NewPersonDto implements IntakePerson {
  @IsOptional() @IsNotes() notes?: string;
  @IsOptional() @IsNewNeeds() needs?: NewNeedDto[];
}

export class BulkIntakeDto implements BulkIntakeRequest {
  @IsNested(() => IntakeEventDto) event!: IntakeEventDto;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INTAKE_PEOPLE)
  @IsNested(() => IntakePersonDto, true)
  people!: IntakePersonDto[];
}
