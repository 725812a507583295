import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { isStaffLanguage, STAFF_LANGUAGES } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { SignedIn } from '../../infra/auth/access';
import { AllowedInLockdown } from '../../infra/auth/lockdown';
import { DomainError, NotFoundError } from '../../infra/http/domain-error';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { SetLanguageDto } from './dto/language.dto';

/**
 * The signed-in person's own console language, remembered with their account (never in the
 * browser). Anyone signed in may set their own; nobody sets another's (the row is always the
 * caller's, and row-level security keeps it in their organisation). Admins keep it in lockdown,
 * when they are the only ones using the console.
 */
@Controller('api/me/language')
export class LanguageController {
  constructor(private readonly staff: StaffUsersRepository) {}

  @Put()
  @Audit('auth.language_changed', { resourceType: 'staff_user' })
  @HttpCode(204)
  @SignedIn('active')
  @AllowedInLockdown('admins')
  async set(@Scope() scope: SignedInScope, @Body() body: SetLanguageDto): Promise<void> {
    if (!isStaffLanguage(body.language)) throw new LanguageUnsupportedError();
    if (!(await this.staff.setLanguage(scope.tx, scope.principal.userId, body.language)))
      throw new NotFoundError();
  }
}

/** 422: a language the console does not ship (the five are `STAFF_LANGUAGES`). */
export class LanguageUnsupportedError extends DomainError {
  constructor() {
    super(
      'language_unsupported',
      `Choose one of the console's languages: ${STAFF_LANGUAGES.join(', ')}.`,
    );
  }
}
