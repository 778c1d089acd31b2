/** Error kinds the command wrapper acts on. No VS Code import. */

/** The user dismissed a prompt: the command stops quietly. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * A failure with a message written for the user (what happened and what to do next). `detail` is the
 * original text for the log; it must hold no secret value.
 */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
    readonly actions: readonly ErrorAction[] = [],
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** A button on an error message: runs a command of ours or opens a link. */
export interface ErrorAction {
  readonly title: string;
  readonly command?: string;
  readonly args?: readonly unknown[];
  readonly url?: string;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `host[:port]` of an http(s) URL, or undefined for anything else. */
export function urlHost(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  return new URL(url).host || undefined;
}
