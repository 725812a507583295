import { disclosureEntries, type DisclosedPerson } from './disclosure-export';

const cover = {
  requestId: '01a24872-dfa0-7000-8322-d6bb04d627f8',
  authority: 'police',
  legalInstrument: 'Warrant <b>7</b>',
  periodFrom: '2026-02-01',
  periodTo: '2026-03-31',
  fields: ['givenName', 'contactNotes'] as const,
  producedAt: '2026-03-10T12:00:00.000Z',
};

const person: DisclosedPerson = {
  code: 'HB-ABCD-EFGH',
  identity: { givenName: 'Ana "<img src=x onerror=alert(1)>"' },
  contactNotes: [{ date: '2026-02-10', notes: '<script>alert(1)</script> & more' }],
};

const text = (entries: ReturnType<typeof disclosureEntries>, name: string) =>
  new TextDecoder().decode(entries.find((e) => e.name === name)!.content);

describe('disclosureEntries', () => {
  const entries = disclosureEntries(cover, [person]);

  it('writes a cover, the data as JSON and the same as a page, and nothing else', () => {
    expect(entries.map((e) => e.name)).toEqual([
      'README.txt',
      'disclosure.json',
      'disclosure.html',
    ]);
    expect(JSON.parse(text(entries, 'disclosure.json'))).toEqual({
      request: { ...cover, fields: [...cover.fields] },
      people: [person],
    });
    const readme = text(entries, 'README.txt');
    for (const line of [cover.requestId, 'police', 'Warrant <b>7</b>', 'givenName, contactNotes']) {
      expect(readme).toContain(line);
    }
  });

  it('escapes every value in the page, so words from the records cannot become markup', () => {
    const html = text(entries, 'disclosure.html');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>7');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; more');
    expect(html).toContain('Ana &#34;&#60;img src=x onerror=alert(1)&#62;&#34;');
  });
});
