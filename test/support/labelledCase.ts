/** The shape of one labelled detector case and of the templates that build them. */
import type { FindingKind } from '../../src/core/detect/finding';
import type { CredentialFixtures } from './credentialFixtures';

export type ExpectedPair = readonly [FindingKind, string];

export interface CaseBody {
  readonly fileName: string;
  readonly text: string;
  /** The values a reader must flag, with their kind; none for a negative. */
  readonly expected?: readonly ExpectedPair[];
}

export type CaseTemplate = (fixtures: CredentialFixtures, variant: number) => CaseBody;

export interface LabelledCase extends CaseBody {
  readonly name: string;
  readonly expected: readonly ExpectedPair[];
}
