/** Warnings (e.g. convergence) go through one hook, each at most once per key. */
type WarnHandler = (message: string) => void;
let handler: WarnHandler = (m) => console.warn(m);
const seen = new Set<string>();

/** Replaces the warning handler (pass `() => {}` to silence warnings). */
export function setWarningHandler(h: WarnHandler): void { handler = h; }

/** Emits `message` once for `key`. */
export function warnOnce(key: string, message: string): void {
  if (seen.has(key)) return;
  seen.add(key);
  handler(message);
}

/** Forgets which warnings were emitted (tests). */
export function resetWarnings(): void { seen.clear(); }
