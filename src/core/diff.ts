/** A unified diff of two texts (as `diff -u` prints it), for showing what a command changed in a file before or after writing it. */

const CONTEXT = 3;
/** Above this many line pairs the table would be too big: the whole file is shown as replaced. */
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** The edit script by longest common subsequence (the texts here are config files: small). */
function script(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? (table[(i + 1) * width + j + 1] as number) + 1 : Math.max(table[(i + 1) * width + j] as number, table[i * width + j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] as string });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || (table[(i + 1) * width + j] as number) >= (table[i * width + j + 1] as number))) {
      ops.push({ kind: '-', line: a[i++] as string });
    } else {
      ops.push({ kind: '+', line: b[j++] as string });
    }
  }
  return ops;
}

/** `--- label` / `+++ label` and @@ hunks with three lines of context; '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, label: string): string {
  if (before === after) return '';
  const ops = script(lines(before), lines(after));
  const out = [`--- ${label}`, `+++ ${label}`];
  let at = 0;
  while (at < ops.length) {
    const first = ops.findIndex((op, k) => k >= at && op.kind !== ' ');
    if (first < 0) break;
    // The hunk runs until more than 2×CONTEXT unchanged lines separate two changes.
    let end = first;
    for (let k = first, same = 0; k < ops.length; k++) {
      if (ops[k]?.kind === ' ') {
        if (++same > CONTEXT * 2) break;
      } else {
        same = 0;
        end = k;
      }
    }
    const start = Math.max(0, first - CONTEXT);
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    const hunk = ops.slice(start, stop);
    const oldStart = ops.slice(0, start).filter((op) => op.kind !== '+').length + 1;
    const newStart = ops.slice(0, start).filter((op) => op.kind !== '-').length + 1;
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...hunk.map((op) => `${op.kind}${op.line}`));
    at = stop;
  }
  return `${out.join('\n')}\n`;
}
