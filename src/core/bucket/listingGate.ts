/**
 * Pieces of the concurrent listing (listingEngine.ts): the gate that bounds requests in flight and
 * adapts to a busy server, and S3's key order. No VS Code import.
 */
import { CancelledError } from '../errors';

/**
 * At most `limit` holders at once. The limit starts at `max`, halves when the server asks to slow
 * down (never below 1), and grows back by one after twice its value of successes in a row.
 */
export class ConcurrencyGate {
  private limit: number;
  private held = 0;
  private streak = 0;
  private highest = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    this.limit = Math.max(1, max);
  }

  get inFlight(): number {
    return this.held;
  }

  /** The most holders there were at once. */
  get maxInFlight(): number {
    return this.highest;
  }

  get currentLimit(): number {
    return this.limit;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.held >= this.limit) {
      if (signal?.aborted) throw new CancelledError();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const at = this.waiting.indexOf(wake);
          if (at !== -1) this.waiting.splice(at, 1);
          reject(new CancelledError());
        };
        this.waiting.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    if (signal?.aborted) throw new CancelledError();
    this.held++;
    this.highest = Math.max(this.highest, this.held);
  }

  release(): void {
    this.held--;
    this.wake();
  }

  slowDown(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.streak = 0;
  }

  succeeded(): void {
    if (this.limit >= this.max) return;
    if (++this.streak >= this.limit * 2) {
      this.limit++;
      this.streak = 0;
      this.wake();
    }
  }

  private wake(): void {
    for (let free = this.limit - this.held; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()?.();
  }
}

/**
 * Compares keys in S3's order: by UTF-8 bytes, which is code point order. JavaScript's `<`
 * compares UTF-16 code units, which differs for characters above U+FFFF against U+E000–U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A UTF-16 code unit moved so that surrogates (characters above U+FFFF) sort after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
