/**
 * Move to Keychain (context menu on a local persistent r2/s3/gcs secret) and Move All Plaintext
 * Secrets to Keychain… (a pick list). Each asks once, in a modal naming what moves and which files
 * go, then reports what moved and what stayed, and why. The work is in core/secrets/moveToKeychain.ts.
 *
 * The pick list starts with nothing ticked: a moved secret lives on in this window's session and the
 * keychain, but other DuckDB processes (dbt, the duckdb CLI) that read the file lose it, so each
 * one is the user's choice.
 */
import * as vscode from 'vscode';
import type { CommandSpec } from '../commands';
import type { CommandUiHolder } from '../commandUi';
import { readSetting } from '../config';
import { CancelledError, UserFacingError } from '../../core/errors';
import type { SqlRunner } from '../../core/duckdb/sqlRunner';
import type { MoveReport, PlaintextMover } from '../../core/secrets/moveToKeychain';
import { listPlaintextSecrets, type PlaintextSecret } from '../../core/secrets/plaintextSecrets';
import type { SecretsTreeModel } from '../../core/secrets/secretsTreeModel';
import { SecretNode } from './secretsView';

export const MOVE_TO_KEYCHAIN_COMMAND = 'duckdbSecrets.moveSecretToKeychain';
export const MOVE_ALL_TO_KEYCHAIN_COMMAND = 'duckdbSecrets.movePlaintextSecretsToKeychain';

export interface PlaintextCommandDeps {
  readonly mover: PlaintextMover;
  /** The window's session, for the (redacted) listing of plaintext secrets. */
  readonly sql: SqlRunner;
  readonly tree: SecretsTreeModel;
  readonly ui: CommandUiHolder;
}

/** `executeCommand` arguments: the names to move (no pick list), and `confirmed` to skip the modal. */
export interface MoveArgs {
  readonly name?: string;
  readonly names?: readonly string[];
  readonly confirmed?: boolean;
}

export function plaintextCommands(deps: PlaintextCommandDeps): CommandSpec[] {
  const handlers = new PlaintextHandlers(deps);
  return [
    { id: MOVE_TO_KEYCHAIN_COMMAND, run: (arg) => handlers.moveOne(arg) },
    { id: MOVE_ALL_TO_KEYCHAIN_COMMAND, run: (arg) => handlers.moveAll(arg) },
  ];
}

/** Arguments from executeCommand are checked, not trusted: anything malformed is left out. */
function moveArgs(value: unknown): MoveArgs {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const names = Array.isArray(v.names) && v.names.every((n): n is string => typeof n === 'string') ? v.names : undefined;
  return { ...(typeof v.name === 'string' && { name: v.name }), ...(names && { names }), confirmed: v.confirmed === true };
}

class PlaintextHandlers {
  constructor(private readonly deps: PlaintextCommandDeps) {}

  /** A node (context menu) or `{ name }`; from the palette it is Move All with its pick list. */
  async moveOne(arg: unknown): Promise<MoveReport | undefined> {
    const args: MoveArgs = arg instanceof SecretNode ? { name: arg.secret.name } : moveArgs(arg);
    if (args.name === undefined) return this.moveAll(arg);
    const { directory, secrets } = await listPlaintextSecrets(this.deps.sql);
    const secret = secrets.find((s) => s.name === args.name);
    if (!secret) throw new UserFacingError(`There is no local persistent secret named "${args.name}" in ${directory}. Refresh the Secrets view to see what is there.`);
    if (secret.notMovable) {
      void this.deps.ui.ui.messages.warning(`${secret.name} stays in ${secret.file}: ${secret.notMovable}.`);
      return { directory, moved: [], stayed: [{ name: secret.name, type: secret.type, reason: secret.notMovable }] };
    }
    return this.run([secret], [], directory, args.confirmed === true);
  }

  async moveAll(arg: unknown): Promise<MoveReport> {
    const args: MoveArgs = arg instanceof SecretNode ? {} : moveArgs(arg);
    const { directory, secrets } = await listPlaintextSecrets(this.deps.sql);
    const movable = secrets.filter((s) => !s.notMovable);
    const leftAlone = secrets.filter((s) => s.notMovable);
    let chosen: PlaintextSecret[];
    if (args.names) {
      const wanted = new Set(args.names);
      chosen = movable.filter((s) => wanted.has(s.name));
      const unknown = args.names.filter((n) => !secrets.some((s) => s.name === n));
      if (unknown.length > 0) throw new UserFacingError(`No local persistent secret named ${unknown.map((n) => `"${n}"`).join(', ')} in ${directory}.`);
    } else {
      if (movable.length === 0) {
        const why = leftAlone.length ? ` Left alone: ${describeLeftAlone(leftAlone)}.` : '';
        void this.deps.ui.ui.messages.info(`No plaintext secret in ${directory} can move to the keychain.${why}`);
        return { directory, moved: [], stayed: leftAlone.map(stayedEntry) };
      }
      const picked = await this.deps.ui.ui.prompter.pickMany(
        movable.map((s) => ({ label: s.name, description: `${s.type}${s.scope.length ? ` · ${s.scope.join(', ')}` : ''}`, detail: s.file, picked: false, secret: s })),
        { title: 'Move Plaintext Secrets to Keychain', placeHolder: `Tick the secrets to move out of ${directory}` },
      );
      chosen = picked.map((p) => p.secret);
    }
    const named = args.names ? leftAlone.filter((s) => args.names?.includes(s.name)) : leftAlone;
    if (chosen.length === 0 && args.names && named.length > 0) {
      const report: MoveReport = { directory, moved: [], stayed: named.map(stayedEntry) };
      void this.deps.ui.ui.messages.warning(summary(report));
      return report;
    }
    if (chosen.length === 0) throw new CancelledError();
    return this.run(chosen, named, directory, args.confirmed === true);
  }

  private async run(chosen: readonly PlaintextSecret[], leftAlone: readonly PlaintextSecret[], directory: string, confirmed: boolean): Promise<MoveReport> {
    if (!confirmed) await this.confirm(chosen, directory);
    const names = chosen.map((s) => s.name);
    let report: MoveReport;
    try {
      report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Moving ${names.join(', ')} to the keychain…` }, () =>
        this.deps.mover.move(names),
      );
    } finally {
      await this.deps.tree.refresh();
    }
    const full: MoveReport = { ...report, stayed: [...report.stayed, ...leftAlone.map(stayedEntry)] };
    const text = summary(full);
    if (full.stayed.length === 0) void this.deps.ui.ui.messages.info(text);
    else void this.deps.ui.ui.messages.warning(text);
    return full;
  }

  private async confirm(chosen: readonly PlaintextSecret[], directory: string): Promise<void> {
    const names = chosen.map((s) => s.name).join(', ');
    const files = chosen.map((s) => s.file).join(', ');
    const recreate = readSetting('recreateSessionSecrets')
      ? ''
      : ' "Recreate Session Secrets" is off: they will not come back after a reload until you turn it on.';
    const ok = await this.deps.ui.ui.prompter.confirm(`Move ${chosen.length === 1 ? 'secret' : `${chosen.length} secrets`} ${names} to the keychain?`, 'Move to Keychain', {
      modal: true,
      detail:
        `Read from ${directory} (this window's secret_directory) through a separate DuckDB instance that is closed right after. ` +
        "The key pairs go into credential profiles in the OS keychain (an existing profile with the same key id is reused), each secret is re-created in this window's DuckDB session, " +
        `and only then is its file deleted: ${files}. Other DuckDB processes (dbt, the duckdb CLI) will no longer find these secrets on disk.${recreate}`,
    });
    if (!ok) throw new CancelledError();
  }
}

function stayedEntry(s: PlaintextSecret): MoveReport['stayed'][number] {
  return { name: s.name, type: s.type, reason: s.notMovable ?? '' };
}

function describeLeftAlone(secrets: readonly PlaintextSecret[]): string {
  return secrets.map((s) => `${s.name} (${s.notMovable ?? ''})`).join('; ');
}

/** What moved and what stayed, and why, in one message. Names, files and reasons only. */
export function summary(report: MoveReport): string {
  const parts = [`Read ${report.directory}.`];
  if (report.moved.length > 0) {
    const moved = report.moved.map((m) => `${m.name} (profile "${m.profile}"${m.profileCreated ? '' : ', reused'}${m.fileLeft ? `; delete ${m.file} by hand` : ''})`);
    parts.push(`Moved to the keychain, file deleted: ${moved.join(', ')}.`);
  } else parts.push('Nothing moved.');
  if (report.stayed.length > 0) parts.push(`Stayed on disk: ${report.stayed.map((s) => `${s.name} (${s.reason})`).join('; ')}.`);
  return parts.join(' ');
}
