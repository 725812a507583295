import { groupSecret, svgDataUrl } from './enrolment';

describe('enrolment helpers', () => {
  it('turns an SVG document into a base64 data URL for an <img>, whatever its characters', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Harbour – ฮาร์เบอร์</title></svg>';
    const url = svgDataUrl(svg);

    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const binary = atob(url.slice('data:image/svg+xml;base64,'.length));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe(svg);
  });

  it.each([
    ['JBSWY3DPEHPK3PXP', 'JBSW Y3DP EHPK 3PXP'],
    ['JBSW Y3DP EHPK 3PXP', 'JBSW Y3DP EHPK 3PXP'],
    ['JBSWY3DPEHPK3PXPAB', 'JBSW Y3DP EHPK 3PXP AB'],
    ['', ''],
  ])('groups %j as %j', (secret, grouped) => {
    expect(groupSecret(secret)).toBe(grouped);
  });
});
