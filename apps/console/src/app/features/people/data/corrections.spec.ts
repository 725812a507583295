import type { PersonView } from '@harbour/domain';
import { correctionRequest, type CorrectionFormValue } from './corrections';

const PERSON: PersonView = {
  id: 'p-1',
  code: 'HB-0000-0001',
  version: 4,
  ageBand: '25_34',
  regionOfOrigin: 'south_eastern_asia',
  languageGroup: 'thai',
  genderIdentity: null,
  consentToReporting: false,
  hasIdentity: true,
  identityFields: ['givenName', 'familyName', 'phone'],
  erasedAt: null,
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function form(overrides: Partial<CorrectionFormValue> = {}): CorrectionFormValue {
  return {
    ageBand: PERSON.ageBand,
    regionOfOrigin: PERSON.regionOfOrigin,
    languageGroup: PERSON.languageGroup,
    genderIdentity: PERSON.genderIdentity,
    identity: { givenName: '', familyName: '', alias: '', dateOfBirth: '', phone: '', sex: null },
    clear: [],
    ...overrides,
  };
}

describe('correctionRequest', () => {
  it('sends nothing when nothing changed (identity hidden, fields empty)', () => {
    expect(correctionRequest(PERSON, null, form())).toBeNull();
  });

  it('sends only the categories that changed, with the version read', () => {
    expect(
      correctionRequest(PERSON, null, form({ ageBand: '35_44', languageGroup: null })),
    ).toEqual({ version: 4, ageBand: '35_44', languageGroup: null });
  });

  it('treats an empty identity field as unchanged and a typed one as the correction', () => {
    const value = form({
      identity: {
        givenName: '  Somchai ',
        familyName: '',
        alias: '',
        dateOfBirth: '',
        phone: '',
        sex: null,
      },
    });
    expect(correctionRequest(PERSON, null, value)).toEqual({
      version: 4,
      identity: { givenName: 'Somchai' },
    });
  });

  it('removes a held field only when "Remove" is ticked, and ignores it for a field not held', () => {
    const value = form({ clear: ['phone', 'alias'] });
    expect(correctionRequest(PERSON, null, value)).toEqual({
      version: 4,
      identity: { phone: null },
    });
  });

  it('starts from the revealed identity: unchanged revealed values are not sent again', () => {
    const revealed = { givenName: 'Somchai', familyName: 'Jaidee', phone: '+66 81 000 0000' };
    const value = form({
      identity: {
        givenName: 'Somchai',
        familyName: 'Jaidii',
        alias: '',
        dateOfBirth: '',
        phone: '+66 81 000 0000',
        sex: 'male',
      },
    });
    expect(correctionRequest(PERSON, revealed, value)).toEqual({
      version: 4,
      identity: { familyName: 'Jaidii', sex: 'male' },
    });
  });
});
