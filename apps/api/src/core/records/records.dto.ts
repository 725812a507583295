import {
  AGE_BANDS,
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  GENDER_IDENTITIES,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_IDENTITY_TEXT_LENGTH,
  MAX_NEEDS_PER_CONTACT,
  MAX_NOTES_LENGTH,
  NEED_CATEGORIES,
  NEED_PRIORITIES,
  REGIONS_OF_ORIGIN,
  SLK_SEXES,
  type AgeBand,
  type Circumstance,
  type ContactChannel,
  type GenderIdentity,
  type LanguageGroup,
  type LocationType,
  type NeedCategory,
  type NeedPriority,
  type NewNeed,
  type PersonIdentityInput,
  type RegionOfOrigin,
  type SlkSex,
} from '@harbour/domain';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';
import {
  composeRules,
  IsCalendarDate,
  IsNested,
  IsPhoneNumber,
  IsSubsetOf,
  IsText,
} from '../../infra/http/validation-rules';

/** An identity field (a name, an alias): at most `MAX_IDENTITY_TEXT_LENGTH` characters. */
export const IsIdentityText = (): PropertyDecorator => IsText(MAX_IDENTITY_TEXT_LENGTH);

/** A phone number as typed: at most 40 characters, with digits once normalised. */
export const IsPhoneField = (): PropertyDecorator => composeRules(IsText(40), IsPhoneNumber());

/** A record's free-text notes (encrypted at rest). */
export const IsNotes = (): PropertyDecorator => IsText(MAX_NOTES_LENGTH);

/** The needs recorded with a contact. */
export const IsNewNeeds = (): PropertyDecorator =>
  composeRules(
    IsArray(),
    ArrayMaxSize(MAX_NEEDS_PER_CONTACT),
    IsNested(() => NewNeedDto, true),
  );

/** The parts of a request body that record a person or a need, shared by every feature. */
export class PersonIdentityDto implements PersonIdentityInput {
  @IsOptional() @IsIdentityText() givenName?: string;
  @IsOptional() @IsIdentityText() familyName?: string;
  @IsOptional() @IsIdentityText() alias?: string;
  @IsOptional() @IsCalendarDate() dateOfBirth?: string;
  @IsOptional() @IsIn(SLK_SEXES) sex?: SlkSex;
  @IsOptional() @IsPhoneField() phone?: string;
}

export class NewNeedDto implements NewNeed {
  @IsIn(NEED_CATEGORIES) category!: NeedCategory;
  @IsOptional() @IsIn(NEED_PRIORITIES) priority?: NeedPriority;
}

/** A new person as every feature that creates one takes it: the identity and the attributes. */
export class NewPersonDto {
  @IsOptional() @IsNested(() => PersonIdentityDto) identity?: PersonIdentityDto;
  @IsOptional() @IsIn(AGE_BANDS) ageBand?: AgeBand;
  @IsOptional() @IsIn(REGIONS_OF_ORIGIN) regionOfOrigin?: RegionOfOrigin;
  @IsOptional() @IsIn(LANGUAGE_GROUPS) languageGroup?: LanguageGroup;
  @IsOptional() @IsIn(GENDER_IDENTITIES) genderIdentity?: GenderIdentity;
}

/** When, how and where a contact happened: what one contact and a group intake share. */
export class ContactEventDto {
  @IsCalendarDate() occurredOn!: string;
  @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @IsIn(LOCATION_TYPES) locationType!: LocationType;
  @IsOptional() @IsSubsetOf(CIRCUMSTANCES) circumstances?: Circumstance[];
  @IsOptional() @IsBoolean() interpreterUsed?: boolean;
  @IsOptional() @IsBoolean() peerLed?: boolean;
}
