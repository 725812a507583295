import { auditWorld, type AuditWorld } from '../../test/medium/audit-world';
import type { TestBrowser, TestUser } from '../../test/medium/auth-harness';
import { ACCESS_LOG_CATALOGUES } from './access-log-csv';

/**
 * The access-log CSV in the auditor's language (issue 19): the account's language, else the
 * browser's `Accept-Language`, else English — headers, actions, record types, roles, outcomes.
 */
describe('GET /api/audit/export in the auditor’s language', () => {
  let w: AuditWorld;
  let auditorUser: TestUser;
  let auditor: TestBrowser;

  beforeAll(async () => {
    w = await auditWorld('Riverside Outreach');
    auditorUser = await w.h.createUser(w.org, { roles: ['auditor'] });
    auditor = await w.h.signIn(auditorUser);
    await w.h.stepUp(auditor, auditorUser);
  });

  afterAll(() => w.close());

  async function exported(acceptLanguage?: string): Promise<{ lines: string[]; lang: unknown }> {
    const res = await auditor.send('get', '/api/audit/export', undefined, {
      headers: acceptLanguage === undefined ? {} : { 'Accept-Language': acceptLanguage },
    });
    expect(res.status).toBe(200);
    return { lines: res.text.split('\r\n'), lang: res.headers['content-language'] };
  }

  /** The cells of the auditor's own sign-in event. */
  function signInRow(lines: string[], actionLabel: string): string[] {
    const line = lines.find((l) => l.includes(auditorUser.id) && l.includes(`,${actionLabel},`));
    if (line === undefined) throw new Error(`no sign-in row labelled ${actionLabel}`);
    return line.split(',');
  }

  it('writes English without a language, with labels instead of codes', async () => {
    const { lines, lang } = await exported();
    expect(lang).toBe('en');
    expect(lines[0]).toBe(
      'Position in the log,Time (UTC),Staff member id,Staff member,Roles,Action,Record type,Record ids,Fields revealed,Purpose,Outcome,Request id',
    );
    const row = signInRow(lines, ACCESS_LOG_CATALOGUES.en.actions['auth.sign_in']!);
    expect(row[4]).toBe('Auditor');
    expect(row[6]).toBe('Session');
    expect(row[10]).toBe('Success');
    expect(row[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines.join('\n')).not.toContain('auth.sign_in');
  });

  it('follows Accept-Language when the account has no language', async () => {
    const { lines, lang } = await exported('fr-FR, th-TH;q=0.9, en;q=0.5');
    expect(lang).toBe('th');
    expect(lines[0]!.split(',')[5]).toBe('การกระทำ');
    const row = signInRow(lines, ACCESS_LOG_CATALOGUES.th.actions['auth.sign_in']!);
    expect(row[4]).toBe(ACCESS_LOG_CATALOGUES.th.roles['auditor']);
    expect(row[6]).toBe(ACCESS_LOG_CATALOGUES.th.resourceTypes['session']);
    expect(row[10]).toBe(ACCESS_LOG_CATALOGUES.th.outcomes['success']);
  });

  it("prefers the account's language to the browser's", async () => {
    expect((await auditor.send('put', '/api/me/language', { language: 'ko' })).status).toBe(204);
    const { lines, lang } = await exported('th');
    expect(lang).toBe('ko');
    expect(lines[0]!.split(',')[5]).toBe('작업');
    const row = signInRow(lines, ACCESS_LOG_CATALOGUES.ko.actions['auth.sign_in']!);
    expect(row[4]).toBe(ACCESS_LOG_CATALOGUES.ko.roles['auditor']);
    // The language change itself is in the log, labelled.
    expect(
      lines.some((l) => l.includes(ACCESS_LOG_CATALOGUES.ko.actions['auth.language_changed']!)),
    ).toBe(true);
  });
});
