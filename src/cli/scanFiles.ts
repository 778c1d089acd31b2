/**
 * Which files `scan` reads, and their text: git-tracked files by default (`git ls-files`), the
 * staged version of staged files with --staged (`git show :path`, what the commit will hold), or
 * the paths given (folders walked). Binary and very large files are skipped.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CliError, EXIT } from './cliErrors';

const run = promisify(execFile);

/** Larger files are not scanned (generated data, bundles). */
export const MAX_SCAN_BYTES = 2 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.vscode-test', 'dist', 'out']);

export interface ScanFile {
  /** As shown and written to SARIF: relative to the current folder, `/`-separated. */
  readonly path: string;
  read(): Promise<string | undefined>;
}

async function git(cwd: string, args: readonly string[], maxBuffer = 64 * 1024 * 1024): Promise<Buffer> {
  try {
    const { stdout } = await run('git', [...args], { cwd, encoding: 'buffer', maxBuffer });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n')[0] ?? '';
    throw new CliError(`git ${args[0] ?? ''} failed${stderr ? `: ${stderr}` : ''}. Run scan inside a git repository, or give PATHS.`, EXIT.usage);
  }
}

const nulSplit = (buffer: Buffer): string[] => buffer.toString('utf8').split('\0').filter(Boolean);

/** Text of a file's bytes, or undefined for binary (a NUL in the first 8 KiB) or oversized content. */
export function asText(bytes: Buffer): string | undefined {
  if (bytes.length > MAX_SCAN_BYTES) return undefined;
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  return bytes.toString('utf8');
}

const fromDisk = (cwd: string, file: string): ScanFile => ({
  path: file.split(path.sep).join('/'),
  read: async () => {
    const full = path.resolve(cwd, file);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_SCAN_BYTES) return undefined;
    return asText(await readFile(full));
  },
});

export async function trackedFiles(cwd: string): Promise<ScanFile[]> {
  return nulSplit(await git(cwd, ['ls-files', '-z', '--cached', '--', '.'])).map((f) => fromDisk(cwd, f));
}

export async function stagedFiles(cwd: string): Promise<ScanFile[]> {
  const names = nulSplit(await git(cwd, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR', '--relative']));
  return names.map((name) => ({
    path: name,
    read: async () => asText(await git(cwd, ['show', `:./${name}`], MAX_SCAN_BYTES * 2).catch(() => Buffer.alloc(0))),
  }));
}

/** The given paths; folders are walked (skipping .git, node_modules and build output). */
export async function givenFiles(cwd: string, paths: readonly string[]): Promise<ScanFile[]> {
  const files: ScanFile[] = [];
  const walk = async (relative: string): Promise<void> => {
    const info = await stat(path.resolve(cwd, relative)).catch(() => undefined);
    if (!info) throw new CliError(`${relative}: no such file or folder.`, EXIT.usage);
    if (info.isFile()) {
      files.push(fromDisk(cwd, relative));
      return;
    }
    if (!info.isDirectory()) return;
    const entries = await readdir(path.resolve(cwd, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
      if (entry.isDirectory() || entry.isFile()) await walk(path.join(relative, entry.name));
    }
  };
  for (const p of paths) await walk(path.relative(cwd, path.resolve(cwd, p)) || '.');
  return files;
}
