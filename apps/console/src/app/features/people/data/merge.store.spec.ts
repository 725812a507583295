import type { PersonView } from '@harbour/domain';
import { mergeRequest, type MergeSideView } from './merge.store';

const person = (over: Partial<PersonView>): PersonView => ({
  id: '0190a3c5-0000-7000-8000-00000000000a',
  code: 'HB-AAAA-AAAA',
  version: 3,
  ageBand: '25_34',
  regionOfOrigin: 'south_eastern_asia',
  languageGroup: 'thai',
  genderIdentity: null,
  consentToReporting: true,
  hasIdentity: true,
  identityFields: ['givenName'],
  erasedAt: null,
  mergedInto: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const side = (p: PersonView): MergeSideView => ({
  person: p,
  contacts: 2,
  referrals: 1,
  identity: null,
});

describe('mergeRequest', () => {
  const kept = side(person({}));
  const gone = side(
    person({
      id: '0190a3c5-0000-7000-8000-00000000000b',
      code: 'HB-BBBB-BBBB',
      version: 7,
      ageBand: '35_44',
    }),
  );

  it('names both records and both versions, and nothing else when nothing was chosen', () => {
    expect(mergeRequest(kept, gone, {}, {})).toEqual({
      absorbedId: gone.person.id,
      survivorVersion: 3,
      absorbedVersion: 7,
    });
  });

  it('sends identity choices, and category choices only where the records differ', () => {
    expect(
      mergeRequest(
        kept,
        gone,
        { phone: 'absorbed', givenName: 'survivor' },
        { ageBand: 'absorbed', languageGroup: 'absorbed' },
      ),
    ).toEqual({
      absorbedId: gone.person.id,
      survivorVersion: 3,
      absorbedVersion: 7,
      identity: { givenName: 'survivor', phone: 'absorbed' },
      categories: { ageBand: 'absorbed' },
    });
  });
});
