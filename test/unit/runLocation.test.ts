import * as assert from 'node:assert/strict';
import type { PickItem, PickOptions, Prompter } from '../../src/prompts';
import { chooseRunLocation, describeRunLocation, mdRunParameter } from '../../src/runLocation';

describe('Test R2 Bucket: where the listing runs', () => {
  /** Answers the one pick with the item whose label contains `answer`; records what was asked. */
  class OnePick implements Prompter {
    readonly asked: string[] = [];
    constructor(private readonly answer: string) {}
    pick<T extends PickItem>(items: readonly T[], options: PickOptions): Promise<T> {
      this.asked.push(`${options.placeHolder ?? ''}: ${items.map((i) => i.label).join(' | ')}`);
      const item = items.find((i) => i.label.includes(this.answer));
      return item ? Promise.resolve(item) : Promise.reject(new Error(`no ${this.answer}`));
    }
    input(): Promise<string> {
      return Promise.reject(new Error('unexpected input'));
    }
    pickMany<T extends PickItem>(): Promise<T[]> {
      return Promise.reject(new Error('unexpected pickMany'));
    }
    confirm(): Promise<boolean> {
      return Promise.reject(new Error('unexpected confirm'));
    }
  }

  it('runs locally without a question when MotherDuck is not attached', async () => {
    const prompter = new OnePick('MotherDuck');
    assert.equal(await chooseRunLocation(prompter, false), 'local');
    assert.deepEqual(prompter.asked, []);
  });

  it('asks when MotherDuck is attached, unless told', async () => {
    const prompter = new OnePick('In MotherDuck');
    assert.equal(await chooseRunLocation(prompter, true), 'motherduck');
    assert.deepEqual(prompter.asked, ['MotherDuck is attached: where should the listing run?: $(vm) Locally | $(cloud) In MotherDuck']);
    assert.equal(await chooseRunLocation(prompter, true, 'local'), 'local');
    assert.equal(prompter.asked.length, 1);
  });

  it('says which ran, and gives MotherDuck\'s MD_RUN argument', () => {
    assert.equal(mdRunParameter('motherduck'), 'MD_RUN = REMOTE');
    assert.equal(mdRunParameter('local'), 'MD_RUN = LOCAL');
    assert.match(describeRunLocation('motherduck'), /^ran in MotherDuck \(only MotherDuck-stored secrets apply\)$/);
    assert.match(describeRunLocation('local'), /^ran locally/);
  });
});
