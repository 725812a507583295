import { generatePersonCode } from '@harbour/domain';
import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { toAppError } from './app-error';

const CODE = generatePersonCode((b) => b.fill(7));

describe('toAppError with duplicate candidates', () => {
  const answer = (candidates: unknown) =>
    toAppError(
      new HttpErrorResponse({
        status: 409,
        headers: new HttpHeaders(),
        error: { code: 'possible_duplicate', message: 'x', correlationId: 'abc', candidates },
      }),
    );

  it('keeps ids, codes, match kinds and days', () => {
    const error = answer([
      {
        id: '0190a3c5-0000-7000-8000-00000000000a',
        code: CODE,
        matchedOn: ['name', 'slk'],
        lastSeenOn: '2026-02-27',
      },
    ]);
    expect(error.code).toBe('possible_duplicate');
    expect(error.details.candidates).toEqual([
      {
        id: '0190a3c5-0000-7000-8000-00000000000a',
        code: CODE,
        matchedOn: ['name', 'slk'],
        lastSeenOn: '2026-02-27',
      },
    ]);
  });

  it('drops anything that is not a token it expects (never shows server text)', () => {
    const error = answer([
      { id: 'not-an-id', code: CODE, matchedOn: [], lastSeenOn: null },
      { id: '0190a3c5-0000-7000-8000-00000000000a', code: 'Somchai', matchedOn: [] },
      {
        id: '0190a3c5-0000-7000-8000-00000000000b',
        code: CODE,
        matchedOn: ['name', '<b>x</b>'],
        lastSeenOn: 'yesterday',
      },
    ]);
    expect(error.details.candidates).toEqual([
      {
        id: '0190a3c5-0000-7000-8000-00000000000b',
        code: CODE,
        matchedOn: ['name'],
        lastSeenOn: null,
      },
    ]);
  });
});
