/**
 * A CommandUi for the integration tests: answers come from a script, every question and message is
 * recorded (for the canary search), and a question nobody scripted fails the test instead of
 * hanging it. Escape is `vscode.CancellationError`, which the command wrapper treats as silence.
 */
import * as vscode from 'vscode';
import type { CommandUi, Messages } from '../../src/extension/commandUi';
import type { ConfirmOptions, InputOptions, PickItem, PickOptions, Prompter } from '../../src/core/prompts';

/** A string answers an input or a pick (by label), an array of labels a multi-pick, a boolean a confirm. */
type Answer = string | readonly string[] | boolean | typeof ScriptedProfileUi.ESCAPE;

interface Question {
  readonly kind: 'input' | 'pick' | 'pickMany' | 'confirm';
  readonly options: Partial<InputOptions> & Partial<PickOptions> & Partial<ConfirmOptions> & { message?: string };
  readonly items?: readonly PickItem[];
}

export class ScriptedProfileUi implements CommandUi {
  static readonly ESCAPE = Symbol('Escape');
  readonly asked: Question[] = [];
  readonly shown: string[] = [];
  readonly unexpected: string[] = [];
  private readonly answers: Answer[] = [];

  script(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  leftOver(): Answer[] {
    return this.answers.splice(0);
  }

  /** Everything the questions showed (titles, prompts, prefilled values, items), for the canary search. */
  askedText(): string {
    return JSON.stringify(this.asked);
  }

  readonly prompter: Prompter = {
    input: (options) =>
      settle(() => {
        const answer = this.next({ kind: 'input', options });
        if (typeof answer !== 'string') return this.escape(answer, `input "${options.prompt}"`);
        const invalid = options.validate?.(answer);
        return invalid ? this.fail(`input "${options.prompt}" rejects "${answer}": ${invalid}`) : answer;
      }),
    pick: <T extends PickItem>(items: readonly T[], options: PickOptions) =>
      settle(() => {
        const answer = this.next({ kind: 'pick', options, items });
        if (typeof answer !== 'string') return this.escape(answer, `pick "${options.title}"`);
        const item = items.find((i) => i.label === answer) ?? items.find((i) => i.label.includes(answer));
        return item ?? this.fail(`pick "${options.title}" has no "${answer}" among ${items.map((i) => i.label).join(', ')}`);
      }),
    pickMany: <T extends PickItem>(items: readonly T[], options: PickOptions) =>
      settle((): T[] => {
        const answer = this.next({ kind: 'pickMany', options, items });
        if (!Array.isArray(answer)) return this.escape(answer, `pickMany "${options.title}"`);
        const labels = answer as readonly string[];
        const missing = labels.filter((label) => !items.some((i) => i.label === label));
        if (missing.length > 0) return this.fail(`pickMany "${options.title}" has no ${missing.join(', ')} among ${items.map((i) => i.label).join(', ')}`);
        return items.filter((i) => labels.includes(i.label));
      }),
    confirm: (message, confirmLabel, options) =>
      settle(() => {
        const answer = this.next({ kind: 'confirm', options: { ...options, message, title: confirmLabel } });
        if (typeof answer === 'boolean') return answer;
        return answer === ScriptedProfileUi.ESCAPE ? false : this.fail(`confirm "${message}" needs true or false`);
      }),
  };

  readonly messages: Messages = {
    info: (message) => this.record(message),
    warning: (message) => this.record(message),
  };

  private record(message: string): Promise<string | undefined> {
    this.shown.push(message);
    return Promise.resolve(undefined);
  }

  private next(question: Question): Answer | undefined {
    this.asked.push(question);
    const answer = this.answers.shift();
    if (answer === undefined) this.unexpected.push(`unscripted ${question.kind}: ${question.options.prompt ?? question.options.message ?? question.options.title}`);
    return answer;
  }

  /** Escape (or no answer, already recorded) ends the command quietly; an answer of the wrong type is a failure. */
  private escape(answer: Answer | undefined, what: string): never {
    if (answer !== ScriptedProfileUi.ESCAPE && answer !== undefined) this.unexpected.push(`wrong answer type for ${what}: ${String(answer)}`);
    throw new vscode.CancellationError();
  }

  private fail(what: string): never {
    this.unexpected.push(what);
    throw new vscode.CancellationError();
  }
}

/** Runs `work` and hands its result or its throw back as a promise, as the real prompts answer. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
