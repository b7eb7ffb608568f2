/** A QR code as inline SVG, drawn at build time (no script, no request): dark runs of each row as one path. */
import QRCode from 'qrcode';
import { esc } from './filters.ts';

/** Modules of white border the QR specification asks for around the code. */
const QUIET = 4;

/** The SVG path of a QR code's dark modules, one "M x y h n v1 h-n z" per horizontal run, offset by the quiet zone. */
export function qrPath(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  let path = '';
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && modules.get(y, x)) x++;
      path += `M${start + QUIET} ${y + QUIET}h${x - start}v1h-${x - start}z`;
    }
  }
  return { size: n + 2 * QUIET, path };
}

/** An inline SVG QR code of `text`, black on white in both colour schemes (so phones can scan it), labelled for screen readers. */
export function qrSvg(text: string, label: string): string {
  const { size, path } = qrPath(text);
  return `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc(label)}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`;
}
