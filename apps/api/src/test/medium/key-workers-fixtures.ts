/**
 * The restricted person of the key-worker specs (synthetic; none of it is a canary name) and
 * what must never reach someone who may not read them.
 */
export const IDENTITY = {
  givenName: 'Kanokwanrestricted',
  familyName: 'Sirisecretfamily',
  alias: 'Pimsecretalias',
  phone: '+44 7700 900777',
  dateOfBirth: '1988-03-09',
  sex: 'female',
};
/** The name with one letter missing: found only by the similar-name lookup. */
export const SIMILAR_NAME = 'Kanokwanrestricted Sirisecretfamly';
export const NOTE = 'Sister works at the front desk, never mention';
export const SECRETS = [
  IDENTITY.givenName,
  IDENTITY.familyName,
  IDENTITY.alias,
  '900777',
  '1988-03-09',
  NOTE,
  'Sister',
];
export const leaked = (body: unknown): string[] =>
  SECRETS.filter((s) => JSON.stringify(body).includes(s));
