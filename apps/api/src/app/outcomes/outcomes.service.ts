import { Injectable } from '@nestjs/common';
import {
  latestCalendarDay,
  OUTCOME_DOMAINS,
  uuidv7,
  type CheckInView,
  type FieldError,
  type OutcomeDomain,
  type OutcomeRating,
  type OutcomeRatings,
} from '@harbour/domain';
import type { SignedInScope } from '../../core/scope/request-scope';
import {
  OutcomeCheckInsRepository,
  type CheckInRow,
} from '../../data/outcomes/outcome-check-ins.repository';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import type { RecordCheckInDto } from './outcomes.dto';

/** The row's column for each domain. */
const COLUMN: Readonly<Record<OutcomeDomain, keyof CheckInRow>> = {
  safety: 'safety',
  legal_status: 'legalStatus',
  health_wellbeing: 'healthWellbeing',
  work_money: 'workMoney',
  housing: 'housing',
  social_support: 'socialSupport',
};

/**
 * Outcome check-ins (docs/design.md §3): the person rates each area of life with their worker.
 * A check-in is dated (not in the future, not before the person's record or first contact),
 * rates at least one domain, and is never changed afterwards.
 */
@Injectable()
export class OutcomesService {
  constructor(
    private readonly checkIns: OutcomeCheckInsRepository,
    private readonly clock: Clock,
  ) {}

  async record(
    scope: SignedInScope,
    personId: string,
    request: RecordCheckInDto,
  ): Promise<CheckInView> {
    const { tx, organisationId, principal } = scope;
    const person = await this.checkIns.person(tx, organisationId, personId);
    if (person === undefined) throw new NotFoundError();
    scope.note({ resourceIds: [person.code] });
    const ratings = ratingsOf(request.ratings);
    const problems: FieldError[] = [];
    // An erased person's record stays for statistics only: nobody to check in with.
    if (person.erased) problems.push({ path: 'personId', reason: 'erased' });
    const days = { earliest: person.firstDay, latest: latestCalendarDay(this.clock.now()) };
    if (request.checkedOn > days.latest) {
      problems.push({ path: 'checkedOn', reason: 'notInFuture', limits: days });
    } else if (request.checkedOn < person.firstDay) {
      problems.push({ path: 'checkedOn', reason: 'beforePerson', limits: days });
    }
    if (OUTCOME_DOMAINS.every((d) => ratings[d] === null)) {
      problems.push({ path: 'ratings', reason: 'noneRated' });
    }
    if (problems.length > 0) throw new ValidationFailedError(problems);
    const row = await this.checkIns.insert(tx, {
      organisationId,
      id: uuidv7(),
      personId,
      checkedOn: request.checkedOn,
      safety: ratings.safety,
      legalStatus: ratings.legal_status,
      healthWellbeing: ratings.health_wellbeing,
      workMoney: ratings.work_money,
      housing: ratings.housing,
      socialSupport: ratings.social_support,
      createdBy: principal.userId,
    });
    return view(row);
  }

  /** A person's check-ins, newest first. */
  async list(scope: SignedInScope, personId: string): Promise<CheckInView[]> {
    const { tx, organisationId } = scope;
    const person = await this.checkIns.person(tx, organisationId, personId);
    if (person === undefined) throw new NotFoundError();
    scope.note({ resourceIds: [person.code] });
    return (await this.checkIns.list(tx, organisationId, personId)).map(view);
  }
}

function ratingsOf(given: Partial<Record<OutcomeDomain, OutcomeRating | null>>): OutcomeRatings {
  return Object.fromEntries(OUTCOME_DOMAINS.map((d) => [d, given[d] ?? null])) as OutcomeRatings;
}

function view(row: CheckInRow): CheckInView {
  return {
    id: row.id,
    personId: row.personId,
    checkedOn: row.checkedOn,
    ratings: Object.fromEntries(
      OUTCOME_DOMAINS.map((d) => [d, row[COLUMN[d]] as OutcomeRating | null]),
    ) as OutcomeRatings,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
