import { AccessEventsClass } from './classes/access-events.class';
import { ClosedReferralsClass } from './classes/closed-referrals.class';
import { ContactsClass } from './classes/contacts.class';
import { ExpiredSessionsClass } from './classes/expired-sessions.class';
import { IdempotencyRecordsClass } from './classes/idempotency-records.class';
import { InactivePeopleClass } from './classes/inactive-people.class';
import { ThrottleRowsClass } from './classes/throttle-rows.class';

/**
 * Every retention class the purge knows, registered once: add a class as one file in `classes/`
 * and one line here. A class of `RETENTION_CLASSES` with no entry here is still in the settings
 * but left out of dry runs and purges.
 */
export const RETENTION_CLASS_TYPES = [
  InactivePeopleClass,
  ClosedReferralsClass,
  ContactsClass,
  AccessEventsClass,
  IdempotencyRecordsClass,
  ExpiredSessionsClass,
  ThrottleRowsClass,
] as const;
