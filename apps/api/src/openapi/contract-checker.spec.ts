import { randomUUID } from 'node:crypto';
import type { PersonView } from '@harbour/domain';
import {
  ContractChecker,
  listOperations,
  loadDocument,
  type Answer,
  type Operation,
} from '../test/contract-fuzz/contract';

/** The fuzzer's check of success bodies, against the committed contract's derived schemas. */
describe('ContractChecker, success bodies', () => {
  const document = loadDocument();
  const operations = listOperations(document);
  const op = (route: string): Operation => operations.find((o) => o.route === route)!;
  const json = (status: number, body: unknown, contentType = 'application/json'): Answer => ({
    status,
    contentType: `${contentType}; charset=utf-8`,
    correlationId: undefined,
    text: JSON.stringify(body),
  });
  const person: PersonView = {
    id: randomUUID(),
    code: 'HBR-7KQ2-M4',
    version: 1,
    ageBand: '25_34',
    regionOfOrigin: 'south_eastern_asia',
    languageGroup: null,
    genderIdentity: 'woman',
    consentToReporting: true,
    hasIdentity: true,
    identityFields: ['givenName'],
    erasedAt: null,
    restricted: false,
    createdAt: '2026-01-15T10:00:00.000Z',
    updatedAt: '2026-01-15T10:00:00.000Z',
  };

  it('accepts a body of the declared type, and counts it', () => {
    const checker = new ContractChecker(document);
    expect(checker.check(op('GET /api/persons/:id'), json(200, person))).toEqual([]);
    expect(checker.check(op('POST /api/persons'), json(201, person))).toEqual([]);
    expect(checker.check(op('GET /api/needs'), json(200, []))).toEqual([]);
    expect(checker.validatedBodies).toBe(3);
    expect([...checker.validatedRoutes].sort()).toEqual([
      'GET /api/needs',
      'GET /api/persons/:id',
      'POST /api/persons',
    ]);
  });

  it('counts a leaked field, a missing field, a wrong type or value as off-contract', () => {
    const checker = new ContractChecker(document);
    const get = op('GET /api/persons/:id');
    const problems = (body: unknown): string[] => checker.check(get, json(200, body));
    expect(problems({ ...person, givenName: 'Mali' })).toEqual([
      expect.stringMatching(/additionalProperty.*givenName/),
    ]);
    const { code: _code, ...noCode } = person;
    expect(problems(noCode)).toEqual([expect.stringMatching(/missingProperty.*code/)]);
    expect(problems({ ...person, version: '1' })).toEqual([
      expect.stringMatching(/\/version must be number/),
    ]);
    expect(problems({ ...person, ageBand: 'ancient' })).toEqual([
      expect.stringMatching(/ageBand must be equal to one of the allowed values/),
    ]);
    expect(problems({ ...person, restricted: null })).toEqual([
      expect.stringMatching(/restricted must be boolean/),
    ]);
    expect(checker.check(op('GET /api/needs'), json(200, [{ id: 1 }]))).toEqual([
      expect.stringMatching(/^success body off/),
    ]);
  });

  it('counts a success in a media type the operation does not list as off-contract', () => {
    const checker = new ContractChecker(document);
    expect(checker.check(op('GET /api/persons/:id'), json(200, person, 'text/html'))).toEqual([
      'success as text/html, the contract lists application/json',
    ]);
    expect(checker.check(op('GET /api/audit/export'), json(200, 'a,b', 'text/csv'))).toEqual([]);
    expect(checker.validatedBodies).toBe(0);
  });
});
