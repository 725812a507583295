/**
 * The QR code arrives as an SVG document. It is shown as an image from a `data:` URL: an SVG in
 * `<img>` cannot run script or load anything, and Angular's URL sanitiser allows `data:` images,
 * so no markup is ever inserted into the page and nothing bypasses sanitising. The CSP allows
 * `img-src 'self' data:`.
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** A base32 secret in groups of four (`JBSW Y3DP EHPK 3PXP`), easier to type by hand. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}
