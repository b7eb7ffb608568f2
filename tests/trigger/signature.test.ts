import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { parseSecretsFile, secretEnvName, loadTriggerSecrets } from '../../src/trigger/secrets.ts';
import { createRateLimiter } from '../../src/trigger/rate-limit.ts';
import { signBody, verifyTrigger } from '../../src/trigger/signature.ts';

const secrets: Record<string, string> = { 'steppe-herald': 'a-secret-of-at-least-16', 'almaty-daily': 'another-secret-of-16+' };
const secretFor = (outlet: string) => secrets[outlet];
const NOW = 1_790_000_000;
const body = (outlet: string, timestamp = NOW) => Buffer.from(JSON.stringify({ outlet, timestamp }));

describe('verifyTrigger', () => {
  it('accepts a body signed with its outlet secret', () => {
    const b = body('steppe-herald');
    const signature = signBody(b, secrets['steppe-herald']!);
    expect(verifyTrigger({ body: b, signature, secretFor, now: NOW })).toEqual({ ok: true, outlet: 'steppe-herald', timestamp: NOW, signature });
  });

  it('signature with uppercase hex: accepted, and reported in lowercase (the replay key)', () => {
    const b = body('steppe-herald');
    const signature = signBody(b, secrets['steppe-herald']!);
    const upper = `sha256=${signature.slice(7).toUpperCase()}`;
    expect(verifyTrigger({ body: b, signature: upper, secretFor, now: NOW })).toEqual({ ok: true, outlet: 'steppe-herald', timestamp: NOW, signature });
  });

  it('signature header as sha1=, SHA256=, two values joined, or with inner whitespace: refused as not sha256=<64 hex>', () => {
    const b = body('steppe-herald');
    const good = signBody(b, secrets['steppe-herald']!);
    for (const header of [`sha1=${good.slice(7, 47)}`, `SHA256=${good.slice(7)}`, `${good}, ${good}`, `sha256= ${good.slice(7)}`, `${good}\t`]) {
      expect([header, verifyTrigger({ body: b, signature: header, secretFor, now: NOW })]).toEqual([
        header,
        { ok: false, status: 401, error: 'invalid signature', reason: 'signature header is not sha256=<64 hex>' },
      ]);
    }
  });

  it('computes the GitHub-style sha256= HMAC of the raw body', () => {
    // echo -n '{"outlet":"x","timestamp":1}' | openssl dgst -sha256 -hmac secret
    expect(signBody('{"outlet":"x","timestamp":1}', 'secret')).toBe('sha256=fcdaf34099c675e60f3d8acd6e79097d1a01a0e3d3e9f4b93d1092bcce42f4ea');
  });

  it('rejects a missing signature', () => {
    expect(verifyTrigger({ body: body('steppe-herald'), signature: undefined, secretFor, now: NOW })).toEqual({ ok: false, status: 401, error: 'missing signature', reason: 'no x-newsmirror-signature header' });
  });

  it('gives the same answer for a wrong signature and an unknown outlet', () => {
    const wrong = verifyTrigger({ body: body('steppe-herald'), signature: signBody(body('steppe-herald'), 'not-the-secret'), secretFor, now: NOW });
    const unknown = verifyTrigger({ body: body('no-such-outlet'), signature: signBody(body('no-such-outlet'), 'whatever'), secretFor, now: NOW });
    const other = verifyTrigger({ body: body('steppe-herald'), signature: signBody(body('steppe-herald'), secrets['almaty-daily']!), secretFor, now: NOW });
    for (const v of [wrong, unknown, other]) expect(v.ok === false && [v.status, v.error]).toEqual([401, 'invalid signature']);
    expect(!unknown.ok && unknown.reason).toBe('unknown outlet "no-such-outlet" (no trigger secret)');
    expect(!other.ok && other.reason).toBe(`signature does not match outlet "steppe-herald"'s secret`);
  });

  it('rejects timestamps older than 5 minutes or more than 1 minute ahead', () => {
    const at = (ts: number) => {
      const b = body('steppe-herald', ts);
      return verifyTrigger({ body: b, signature: signBody(b, secrets['steppe-herald']!), secretFor, now: NOW });
    };
    expect(at(NOW - 300).ok).toBe(true);
    expect(at(NOW - 301)).toEqual({ ok: false, status: 401, error: 'timestamp outside the allowed window', reason: `timestamp ${NOW - 301} is 301 s old (replay?)` });
    expect(at(NOW + 60).ok).toBe(true);
    expect(at(NOW + 61)).toEqual({ ok: false, status: 401, error: 'timestamp outside the allowed window', reason: `timestamp ${NOW + 61} is 61 s in the future` });
  });

  it('rejects bodies that are not the documented JSON', () => {
    const check = (raw: string) => {
      const v = verifyTrigger({ body: Buffer.from(raw), signature: signBody(raw, 'x'), secretFor, now: NOW });
      return v.ok ? 'ok' : `${v.status} ${v.reason}`;
    };
    expect(check('nope')).toBe('400 body is not JSON');
    expect(check('[1]')).toBe('400 body is not a JSON object');
    expect(check('{"outlet":"../etc","timestamp":1}')).toBe('400 body.outlet must be an outlet id');
    expect(check('{"outlet":"a","timestamp":"1"}')).toBe('400 body.timestamp must be unix seconds (an integer)');
    expect(check('{"outlet":"a","timestamp":1.5}')).toBe('400 body.timestamp must be unix seconds (an integer)');
    expect(check('{"outlet":"a","timestamp":NaN}')).toBe('400 body is not JSON');
    expect(check('{"outlet":"a","timestamp":1e400}')).toBe('400 body.timestamp must be unix seconds (an integer)');
    expect(check(`{"outlet":"${'a'.repeat(10_240)}","timestamp":1}`)).toBe('400 body.outlet must be an outlet id');
  });
});

describe('secrets', () => {
  it('a secrets file saved with a BOM and CRLF reads like the plain one', () => {
    expect([...parseSecretsFile('\ufefftriggers:\r\n  steppe-herald: a-secret-of-at-least-16\r\n', 'secrets.yaml')]).toEqual([['steppe-herald', 'a-secret-of-at-least-16']]);
  });

  it('names the env var after the outlet id in upper snake case', () => {
    expect(secretEnvName('steppe-herald')).toBe('NEWSMIRROR_TRIGGER_SECRET_STEPPE_HERALD');
  });

  it('reads the triggers map of a secrets file and falls back to env', async () => {
    expect([...parseSecretsFile('triggers:\n  steppe-herald: 0123456789abcdef0123\n', 's.yaml')]).toEqual([['steppe-herald', '0123456789abcdef0123']]);
    expect(() => parseSecretsFile('triggers:\n  a: short\n', 's.yaml')).toThrow('s.yaml: triggers.a must be a string of at least 16 characters');
    const lookup = await loadTriggerSecrets({ env: { NEWSMIRROR_TRIGGER_SECRET_ALMATY_DAILY: 'from-env' } });
    expect([lookup('almaty-daily'), lookup('steppe-herald')]).toEqual(['from-env', undefined]);
    expect(lookup.outlets).toEqual(['almaty-daily']);
  });
});

describe('createRateLimiter', () => {
  it('allows `limit` per window per key and says when to retry', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => t });
    expect(limiter.take('a')).toEqual({ ok: true });
    t = 10_000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('b')).toEqual({ ok: true });
    t = 20_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 40 });
    t = 60_001;
    expect(limiter.take('a')).toEqual({ ok: true });
  });
});

describe('a secrets file that would refuse every trigger (regression: "trigger:" misspelt was accepted, then every signed trigger got 401)', () => {
  const shape = 'A secrets file looks like:\ntriggers:\n  steppe-herald: <a long random string, e.g. from `openssl rand -hex 32`>';
  it.each([
    ['trigger:\n  steppe-herald: 0123456789abcdef0123\n', 'unknown top-level key "trigger"; the only key is "triggers"'],
    ['triggers:\n  steppe-herald: 0123456789abcdef0123\ns3: {}\nsmtp: x\n', 'unknown top-level keys "s3", "smtp"; the only key is "triggers"'],
    ['', 'the file is empty and names no secret'],
    ['# nothing yet\n', 'the file is empty and names no secret'],
    ['triggers: {}\n', 'triggers: names no secret'],
    ['triggers:\n', 'triggers must be a map of outlet id to secret'],
    ['triggers: [a, b]\n', 'triggers must be a map of outlet id to secret'],
    ['- steppe-herald\n', 'the file must be a YAML map with a triggers: key'],
    ['just a string\n', 'the file must be a YAML map with a triggers: key'],
    ['triggers:\n  Steppe Herald: 0123456789abcdef0123\n', 'triggers: "Steppe Herald" is not an outlet id (lowercase letters, digits and dashes, as in outlets.yaml)'],
  ])('%j is a ConfigError (exit 2) with the expected shape', (text, problem) => {
    expect(() => parseSecretsFile(text, '/etc/newsmirror/secrets.yaml')).toThrow(new ConfigError(`/etc/newsmirror/secrets.yaml: ${problem}.\n${shape}`));
  });
});
