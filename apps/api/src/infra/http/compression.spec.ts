import { ACCESS_MATRIX } from '../../app/access-matrix';
import { negotiateEncoding, UNCOMPRESSED_ROUTES } from './compression';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['BR;Q=1, GZIP', 'br'],
    ['gzip;q=1, br;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['deflate', 'identity'],
    ['br;q=nonsense, gzip', 'gzip'],
  ] as const)('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('UNCOMPRESSED_ROUTES', () => {
  it('names only routes of the access matrix', () => {
    const unknown = [...UNCOMPRESSED_ROUTES].filter((route) => !(route in ACCESS_MATRIX));
    expect(unknown).toEqual([]);
  });

  it('includes every route the matrix marks as handling a restricted person', () => {
    const identityRoutes = Object.entries(ACCESS_MATRIX)
      .filter(([, expectation]) => expectation.restrictedPerson !== undefined)
      .map(([route]) => route);
    expect(identityRoutes.length).toBeGreaterThan(0);
    expect(identityRoutes.filter((route) => !UNCOMPRESSED_ROUTES.has(route))).toEqual([]);
  });

  it('includes every route under /api/auth/ that answers with a body', () => {
    const auth = Object.keys(ACCESS_MATRIX).filter(
      (route) => route.includes(' /api/auth/') && !route.endsWith('/logout'),
    );
    expect(auth.filter((route) => !UNCOMPRESSED_ROUTES.has(route))).toEqual([]);
  });
});
