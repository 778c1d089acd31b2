/**
 * Whether git ignores a file (`git check-ignore`), for `.env` files: keys there are the documented
 * way of working when git ignores the file, so their findings drop to Information. Answers are
 * cached per path for a minute; no git, no repository or a failure all mean "not ignored".
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

const TTL_MS = 60_000;

export class GitIgnoreCache {
  private readonly answers = new Map<string, { readonly at: number; readonly ignored: Promise<boolean> }>();

  constructor(private readonly check: (file: string) => Promise<boolean> = gitCheckIgnore) {}

  isIgnored(file: string): Promise<boolean> {
    const cached = this.answers.get(file);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.ignored;
    const ignored = this.check(file);
    this.answers.set(file, { at: Date.now(), ignored });
    return ignored;
  }

  forget(): void {
    this.answers.clear();
  }
}

function gitCheckIgnore(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    // `--` ends the options: a file name starting with `-` stays a file name.
    execFile('git', ['check-ignore', '-q', '--', path.basename(file)], { cwd: path.dirname(file), timeout: 5000, windowsHide: true }, (error) => {
      resolve(error === null);
    });
  });
}
