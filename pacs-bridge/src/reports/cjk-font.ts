// The CJK font the PDF report is set in. Chinese text needs a font that has its glyphs; Debian's
// fonts-wqy-microhei (installed by infra/setup-system.sh, group `runtime`) is the default, Noto CJK
// and Droid fallback are accepted too. TELEMED_CJK_FONT names another file (TTF/OTF, or TTC with
// TELEMED_CJK_FONT_FACE). Resolved when a PDF is made, so a missing font fails that request with a
// message saying what to install, not the server's start.
import { existsSync } from 'node:fs';

export interface CjkFont {
  path: string;
  /** Face inside a TrueType collection (its PostScript name). */
  face?: string;
}

const CANDIDATES: readonly CjkFont[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
];

export class MissingFontError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingFontError';
  }
}

export function resolveCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont {
  const configured = env.TELEMED_CJK_FONT;
  if (configured) {
    if (!existsSync(configured))
      throw new MissingFontError(`TELEMED_CJK_FONT points at ${configured}, which does not exist`);
    return { path: configured, ...(env.TELEMED_CJK_FONT_FACE ? { face: env.TELEMED_CJK_FONT_FACE } : {}) };
  }
  const found = CANDIDATES.find((c) => existsSync(c.path));
  if (!found) {
    throw new MissingFontError(
      'No CJK font for PDF reports: install the Debian package fonts-wqy-microhei ' +
        '(`bash infra/setup-system.sh runtime`) or set TELEMED_CJK_FONT to a TTF/OTF file',
    );
  }
  return found;
}
