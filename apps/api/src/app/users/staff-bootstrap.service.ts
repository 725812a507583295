import { Inject, Injectable } from '@nestjs/common';
import { accessEventOf, AUDIT_WRITER, type AuditWriter } from '../../infra/audit/audit-writer';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { Db } from '../../infra/database/transaction';
import { DomainError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { OrganisationProvisioning } from '../../core/organisations/organisation-provisioning';
import { StaffUsersRepository } from '../../data/staff/staff-users.repository';
import { generateOneTimePassword } from './one-time-password';
import { roleChangeFields } from './staff-roles';
import { UsersService } from './users.service';

/** Admins an organisation needs before separation of duties can work (one asks, one approves). */
export const BOOTSTRAP_ADMINS = 2;

export interface BootstrapAdmin {
  readonly organisationId: string;
  readonly userId: string;
  readonly oneTimePassword: string;
}

/**
 * The operator's bootstrap (ADR 0008), for the CLI only — no route reaches it. A new organisation
 * has no admin who could approve its first accounts, so the operator creates admins directly:
 * the first with the organisation (`harbour create-admin`), and more only while the
 * organisation has fewer than two active admins (`harbour add-admin`), after which every guarded
 * account needs a second admin's approval in the console. Only ever the `admin` role; each
 * account is an access event (`staff.created`, no actor: the operator is not staff).
 */
@Injectable()
export class StaffBootstrap {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly organisations: OrganisationProvisioning,
    private readonly staff: StaffUsersRepository,
    @Inject(AUDIT_WRITER) private readonly audit: AuditWriter,
  ) {}

  async createOrganisation(
    name: string,
    admin: { email: string; displayName: string },
  ): Promise<BootstrapAdmin> {
    const organisationId = await this.organisations.create(name);
    return this.addAdmin(organisationId, admin);
  }

  /** Refused (409 `conflict`) once the organisation has two active admins. */
  async addAdmin(
    organisationId: string,
    admin: { email: string; displayName: string },
  ): Promise<BootstrapAdmin> {
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await this.hasher.hash(oneTimePassword);
    const userId = await this.db.transaction(organisationId, async (tx) => {
      if ((await this.staff.activeAdminCount(tx)) >= BOOTSTRAP_ADMINS) {
        throw new DomainError(
          'conflict',
          'The organisation has two administrators: further ones need a second admin in the console.',
        );
      }
      const user = await UsersService.insert(
        tx,
        organisationId,
        { ...admin, roles: ['admin'], passwordHash, mustChangePassword: true },
        this.clock.now(),
      );
      await this.audit.append(
        tx,
        accessEventOf({
          organisationId,
          action: 'staff.created',
          resourceType: 'staff_user',
          resourceIds: [user.id],
          fields: roleChangeFields([], ['admin']),
          outcome: 'success',
        }),
      );
      return user.id;
    });
    return { organisationId, userId, oneTimePassword };
  }
}
