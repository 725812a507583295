import { Body, Controller, Post } from '@nestjs/common';
import type { BulkIntakeResponse } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { ValidationFailedError } from '../../infra/http/domain-error';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { ContactRecords } from '../../core/records/contact-records';
import { PersonRecords } from '../../core/records/person-records';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { BulkIntakeDto } from './intake.dto';

/**
 * Post-raid intake (docs/design.md §11): many people met at one event, each a person record and an
 * individual contact with their needs, in the request's single transaction — all or nothing.
 * A refusal names the row (`people.3.…`).
 */
@Controller('api/intake')
export class IntakeController {
  constructor(
    private readonly persons: PersonRecords,
    private readonly contacts: ContactRecords,
  ) {}

  @Post('bulk')
  @Idempotent()
  @Audit('intake.recorded', { resourceType: 'person' })
  @RequirePermission('case:write')
  async bulk(
    @Scope() scope: SignedInScope,
    @Body() body: BulkIntakeDto,
  ): Promise<BulkIntakeResponse> {
    const people: { personId: string; code: string; contactId: string }[] = [];
    for (const [index, row] of body.people.entries()) {
      try {
        const person = await this.persons.create(scope, {
          identity: row.identity,
          ageBand: row.ageBand,
          regionOfOrigin: row.regionOfOrigin,
          languageGroup: row.languageGroup,
          genderIdentity: row.genderIdentity,
        });
        const contact = await this.contacts.create(scope, {
          ...body.event,
          kind: 'individual',
          personId: person.id,
          languageGroup: row.languageGroup,
          notes: row.notes,
          needs: row.needs,
        });
        people.push({ personId: person.id, code: person.code, contactId: contact.id });
      } catch (error) {
        if (error instanceof ValidationFailedError) {
          const fields = (error.fields ?? []).map((f) => ({
            ...f,
            path: f.path === 'occurredOn' ? `event.${f.path}` : `people.${index}.${f.path}`,
          }));
          throw new ValidationFailedError(fields);
        }
        throw error;
      }
    }
    return { people };
  }
}
