import {
  fieldAssociatedData,
  keyWrapAssociatedData,
  type FieldPlace,
  type KeyBinding,
} from './associated-data';
import { toHex } from './bytes';
import { PlacementError } from './errors';

const ORG = '0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e8f';
const ROW = '0190f5c2-6b3b-7a00-9b1c-2d3e4f506172';
const PLACE: FieldPlace = {
  organisationId: ORG,
  table: 'person',
  column: 'given_name',
  rowId: ROW,
};

function ascii(text: string): string {
  return Buffer.from(text, 'ascii').toString('hex');
}

function placementFailure(fn: () => unknown): PlacementError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PlacementError) return error;
    throw error;
  }
  throw new Error('expected a PlacementError');
}

describe('fieldAssociatedData', () => {
  it('has the exact byte layout of the README', () => {
    expect(toHex(fieldAssociatedData(PLACE, 0x01020304))).toBe(
      [
        '0000000d' + ascii('harbour.field'), // lp("harbour.field")
        '01', // format version
        '01', // algorithm
        '00000010' + '0190f5c26b3a7c1e8d2f3a4b5c6d7e8f', // lp(organisation uuid, 16 bytes)
        '00000006' + ascii('person'), // lp(table)
        '0000000a' + ascii('given_name'), // lp(column)
        '00000010' + '0190f5c26b3b7a009b1c2d3e4f506172', // lp(row uuid, 16 bytes)
        '01020304', // key id, big-endian
      ].join(''),
    );
  });

  it('changes with every part of the place and with the key id', () => {
    const base = toHex(fieldAssociatedData(PLACE, 7));
    const variants = [
      fieldAssociatedData({ ...PLACE, organisationId: ROW }, 7),
      fieldAssociatedData({ ...PLACE, table: 'person_alias' }, 7),
      fieldAssociatedData({ ...PLACE, column: 'family_name' }, 7),
      fieldAssociatedData({ ...PLACE, rowId: ORG }, 7),
      fieldAssociatedData(PLACE, 8),
    ].map(toHex);
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it('is unambiguous: moving characters between table and column changes it', () => {
    expect(toHex(fieldAssociatedData({ ...PLACE, table: 'ab', column: 'c' }, 1))).not.toBe(
      toHex(fieldAssociatedData({ ...PLACE, table: 'a', column: 'bc' }, 1)),
    );
  });

  it('accepts names of 1 to 63 characters of [a-z0-9_] not starting with a digit', () => {
    for (const name of ['a', '_', 'person', 'given_name_2', 'a'.repeat(63)]) {
      expect(() => fieldAssociatedData({ ...PLACE, table: name, column: name }, 1)).not.toThrow();
    }
  });

  it.each([
    ['table', ''],
    ['table', 'Person'],
    ['table', '1person'],
    ['table', 'person-alias'],
    ['table', 'a'.repeat(64)],
    ['column', 'given.name'],
    ['column', 'given name'],
    ['column', 'naïve'],
    ['column', 'given_name\n'],
    ['column', 'x"; drop table person; --'],
  ] as const)(
    'rejects the %s name %j with PlacementError("invalid_name"), value not echoed',
    (part, value) => {
      const error = placementFailure(() => fieldAssociatedData({ ...PLACE, [part]: value }, 1));
      expect(error.reason).toBe('invalid_name');
      expect(error.part).toBe(part);
      expect(error.message).toBe(`invalid ${part}: invalid_name`);
      if (value.length > 0) expect(error.message).not.toContain(value);
    },
  );

  it.each([
    ['organisationId', '0190F5C2-6B3A-7C1E-8D2F-3A4B5C6D7E8F'],
    ['organisationId', '0190f5c26b3a7c1e8d2f3a4b5c6d7e8f'],
    ['organisationId', '{0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e8f}'],
    ['organisationId', 'urn:uuid:0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e8f'],
    ['rowId', '0190f5c2-6b3b-7a00-9b1c-2d3e4f50617'],
    ['rowId', '0190f5c2-6b3b-7a00-9b1c-2d3e4f5061723'],
    ['rowId', '0190f5c2-6b3b-7a00-9b1c-2d3e4f50617g'],
    ['rowId', `${ROW}\n`],
    ['rowId', ''],
    ['rowId', 'Quokka Zzcanary'],
  ] as const)(
    'rejects the %s %j with PlacementError("invalid_uuid"), value not echoed',
    (part, value) => {
      const error = placementFailure(() => fieldAssociatedData({ ...PLACE, [part]: value }, 1));
      expect(error.reason).toBe('invalid_uuid');
      expect(error.part).toBe(part);
      expect(error.message).toBe(`invalid ${part}: invalid_uuid`);
      if (value.length > 0) expect(error.message).not.toContain(value.trim());
    },
  );

  it('rejects key ids outside the unsigned 32-bit range', () => {
    for (const keyId of [-1, 0x100000000, 0.5]) {
      expect(() => fieldAssociatedData(PLACE, keyId)).toThrow(RangeError);
    }
  });
});

describe('keyWrapAssociatedData', () => {
  const SUBJECT = '0190f5c2-6b3c-7000-8000-000000000001';
  const binding: KeyBinding = {
    organisationId: ORG,
    purpose: 'person_data',
    keyId: 42,
    subjectId: SUBJECT,
  };

  it('has the exact byte layout, subject included', () => {
    expect(toHex(keyWrapAssociatedData(binding, 0x0a0b0c0d))).toBe(
      [
        '0000000f' + ascii('harbour.keywrap'),
        '01',
        '01',
        '00000010' + '0190f5c26b3a7c1e8d2f3a4b5c6d7e8f',
        '0000000b' + ascii('person_data'),
        '00000010' + '0190f5c26b3c70008000000000000001',
        '0000002a', // wrapped key id
        '0a0b0c0d', // wrapping key id
      ].join(''),
    );
  });

  it('writes an empty subject as a zero length', () => {
    expect(toHex(keyWrapAssociatedData({ organisationId: ORG, purpose: 'kek', keyId: 1 }, 0))).toBe(
      [
        '0000000f' + ascii('harbour.keywrap'),
        '0101',
        '00000010' + '0190f5c26b3a7c1e8d2f3a4b5c6d7e8f',
        '00000003' + ascii('kek'),
        '00000000',
        '00000001',
        '00000000',
      ].join(''),
    );
  });

  it('differs from field associated data and across purposes, subjects and key ids', () => {
    const values = [
      keyWrapAssociatedData(binding, 1),
      keyWrapAssociatedData({ ...binding, purpose: 'organisation_data' }, 1),
      keyWrapAssociatedData({ ...binding, subjectId: ROW }, 1),
      keyWrapAssociatedData({ ...binding, keyId: 43 }, 1),
      keyWrapAssociatedData(binding, 2),
      fieldAssociatedData(PLACE, 1),
    ].map(toHex);
    expect(new Set(values).size).toBe(values.length);
  });

  it('refuses person_data without a subject, and malformed uuids', () => {
    const noSubject = placementFailure(() =>
      keyWrapAssociatedData({ organisationId: ORG, purpose: 'person_data', keyId: 1 }, 0),
    );
    expect(noSubject.part).toBe('subjectId');
    const badSubject = placementFailure(() =>
      keyWrapAssociatedData({ ...binding, subjectId: 'Quokka Zzcanary' }, 0),
    );
    expect(badSubject.reason).toBe('invalid_uuid');
    expect(badSubject.message).not.toContain('Quokka');
    expect(
      placementFailure(() => keyWrapAssociatedData({ ...binding, organisationId: 'x' }, 0)).part,
    ).toBe('organisationId');
  });
});
