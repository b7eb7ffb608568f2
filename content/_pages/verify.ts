/** The verify page (what a check proves, the key and its fingerprint, the standard commands) and publickey.pem beside it. */
import type { JsTemplate } from '@11ty/eleventy';
import type { RenderContext } from '../../src/render/context.ts';
import { esc } from '../../src/render/filters.ts';
import { PUBLIC_KEY_FILE, keyFingerprint, verifyCommands } from '../../src/render/verify-key.ts';
import { shell } from '../_includes/shell.ts';

/** A command block: wraps instead of scrolling sideways (class "cmd" in style.css). */
const cmd = (text: string) => `<pre class="cmd"><code>${esc(text)}</code></pre>`;

export function verify(ctx: RenderContext): JsTemplate {
  const path = 'verify.html';
  const { t } = ctx;
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render() {
      const key = ctx.site.publicKey;
      const limits = `<h2>${t.svProvesTitle}</h2><ul><li>${t.svProves}</li><li>${t.svNotTruth}</li><li>${t.svNotFresh}</li><li>${t.svNotKey}</li><li>${t.svNotPage}</li></ul>`;
      let steps = `<p>${t.noKey}</p>`;
      if (key) {
        const c = verifyCommands(key);
        steps = [
          `<h2>${t.publicKey}</h2><p class="k"><code>${esc(key)}</code></p>`,
          `<p>${t.svFingerprint}</p><p class="k"><code>${keyFingerprint(key)}</code></p>`,
          `<p>${t.svKeyFile} <a href="${PUBLIC_KEY_FILE}">${PUBLIC_KEY_FILE}</a></p>`,
          `<p>${t.svKeyCheck}</p>${cmd(`${c.fingerprint}\n${c.usePem}`)}<p>${t.svKeyMake}</p>${cmd(c.makePem)}`,
          `<h2>${t.svUnixTitle}</h2><p>${t.svUnixSig}</p>${cmd(c.signature)}<p>${t.svUnixSums}</p>${cmd(c.sums)}<p>${t.svPartial}</p>`,
          `<h2>${t.svWindowsTitle}</h2><p>${t.svWindows}</p>${cmd(c.powershell)}`,
          `<h2>${t.svToolTitle}</h2><p>${t.svTool}</p>${cmd(c.tool)}`,
        ].join('');
      }
      const body = `<h1>${t.verifyTitle}</h1><p>${t.svIntro}</p>${limits}${steps}`;
      return shell(ctx, { path, lang: ctx.lang, title: `${t.verifyTitle} — ${ctx.site.title}`, body });
    },
  };
}

/** publickey.pem: the site's key as SPKI PEM, for `openssl -inkey` (only when site.yaml has a publicKey). */
export function publicKeyFile(ctx: RenderContext): JsTemplate {
  return {
    data: { permalink: ctx.publicKeyPem ? PUBLIC_KEY_FILE : false, eleventyExcludeFromCollections: true },
    render: () => ctx.publicKeyPem ?? '',
  };
}
