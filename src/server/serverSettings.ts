/**
 * The `duckdbSecrets` settings a client sends, checked field by field: a client (or a workspace's
 * settings behind it) is not trusted to send the right shapes. Unknown or malformed fields keep
 * their defaults.
 */
import { DEFAULT_LINT_SETTINGS, type LintSettings, type LintSeverity } from '../core/lsp/protocol';

const SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'information', 'hint'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_GLOBS = 200;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Accepts `{ duckdbSecrets: { lint, env } }` (didChangeConfiguration) or `{ lint, env }` (initializationOptions.settings). */
export function parseLintSettings(raw: unknown, previous: LintSettings = DEFAULT_LINT_SETTINGS): LintSettings {
  const outer = record(raw);
  const section = 'duckdbSecrets' in outer ? record(outer.duckdbSecrets) : outer;
  const lint = record(section.lint);
  const env = record(section.env);
  const name = (value: unknown, fallback: string): string => (typeof value === 'string' && ENV_NAME.test(value) ? value : fallback);
  return {
    enable: typeof lint.enable === 'boolean' ? lint.enable : previous.enable,
    severity: SEVERITIES.includes(lint.severity as LintSeverity) ? (lint.severity as LintSeverity) : previous.severity,
    exclude: Array.isArray(lint.exclude)
      ? lint.exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '' && g.length < 1000).slice(0, MAX_GLOBS)
      : previous.exclude,
    envNames: {
      accessKeyId: name(env.accessKeyId, previous.envNames.accessKeyId),
      secretKey: name(env.secretKey, previous.envNames.secretKey),
      accountId: name(env.accountId, previous.envNames.accountId),
    },
  };
}
