/** Findings as LSP diagnostics: `source: "duckdb-secrets"`, `code` = the finding's kind, no value anywhere. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../core/detect/finding';
import { LINT_SOURCE, type LintSeverity } from '../core/lsp/protocol';

const LSP_SEVERITY: Readonly<Record<LintSeverity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface SeverityContext {
  /** The `duckdbSecrets.lint.severity` setting. */
  readonly configured: LintSeverity;
  /** A `.env` file git ignores: findings are at most Information. */
  readonly ignoredEnvFile: boolean;
}

export function severityOf(finding: Finding, context: SeverityContext): DiagnosticSeverity {
  if (finding.severity === 'information') return DiagnosticSeverity.Information;
  const configured = LSP_SEVERITY[context.configured];
  // DiagnosticSeverity counts up from Error (1) to Hint (4): the larger number is the milder one.
  return context.ignoredEnvFile ? Math.max(configured, DiagnosticSeverity.Information) as DiagnosticSeverity : configured;
}

export function toDiagnostic(finding: Finding, context: SeverityContext): Diagnostic {
  return {
    range: finding.range,
    severity: severityOf(finding, context),
    source: LINT_SOURCE,
    code: finding.kind,
    message: context.ignoredEnvFile && finding.severity === 'warning' ? `${finding.message} (git ignores this file; the keychain is safer still)` : finding.message,
  };
}
