/**
 * What the verify page says about the key and the commands it gives: pure
 * functions of the site's `ed25519:` key, so the page, the zip's README and
 * the tests show the very same commands.
 */
// The leaf module, not the sealed/ barrel: a page's key covers the code that renders it (build-cache/inputs.ts renderCodeFiles), and the CAR and zip writers do not.
import { parsePublicKey } from '../sealed/manifest.ts';
import { sha256Hex } from '../core/hash.ts';

/** The public key file the site ships beside SHA256SUMS. */
export const PUBLIC_KEY_FILE = 'publickey.pem';

/** SHA-256 of the key's SubjectPublicKeyInfo (DER), lowercase hex: what `openssl pkey … -outform DER | openssl dgst -sha256` prints. */
export function keyFingerprint(publicKey: string): string {
  const der = parsePublicKey(publicKey).export({ format: 'der', type: 'spki' });
  return sha256Hex(der);
}

/** The commands of the verify page, each as the lines a reader types (short enough for a 375 px screen). */
export function verifyCommands(publicKey: string): { fingerprint: string; usePem: string; makePem: string; signature: string; sums: string; powershell: string; tool: string } {
  const b64url = publicKey.replace(/^ed25519:/, '');
  return {
    fingerprint: `openssl pkey -pubin \\\n  -in ${PUBLIC_KEY_FILE} -outform DER |\n  openssl dgst -sha256`,
    usePem: `cp ${PUBLIC_KEY_FILE} key.pem`,
    // The SPKI DER of an Ed25519 key is a fixed 12-byte prefix (base64 "MCowBQYDK2VwAyEA") and the 32 key bytes.
    makePem: [
      `K=${b64url}`,
      'B=$(printf %s "$K" |',
      "  tr -- '-_' '+/')",
      "printf -- '%s\\n%s\\n%s\\n' \\",
      "  '-----BEGIN PUBLIC KEY-----' \\",
      '  "MCowBQYDK2VwAyEA$B=" \\',
      "  '-----END PUBLIC KEY-----' \\",
      '  > key.pem',
    ].join('\n'),
    signature: 'openssl pkeyutl -verify -pubin \\\n  -inkey key.pem -rawin \\\n  -in SHA256SUMS \\\n  -sigfile SHA256SUMS.sig',
    sums: 'sha256sum -c SHA256SUMS',
    powershell: [
      '$bad = 0',
      'Get-Content -Encoding UTF8 `',
      '  SHA256SUMS | ForEach-Object {',
      "  $h, $f = $_ -split '  ', 2",
      '  $g = Get-FileHash -LiteralPath $f `',
      '    -Algorithm SHA256',
      '  if ($g.Hash -ne $h) {',
      '    "FAILED: $f"; $bad++ }',
      '}',
      '"$bad failed"',
    ].join('\n'),
    tool: `newsmirror verify <URL|DIR|site.zip> \\\n  --key ${publicKey}`,
  };
}
