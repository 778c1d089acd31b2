/**
 * Where `scan` gets its detector. The detection engine (src/core/detect/, branch `detect`) has not
 * been merged into this branch yet; until it is, scan says so and exits 6. Wiring it is this one
 * function: map the engine's findings (kind, severity, message, range) to ScanFinding.
 */
import { CliError, EXIT } from './cliErrors';
import type { Detector } from './scanCommand';

export function loadDetector(): Detector {
  throw new CliError('scan needs the credential detection engine (src/core/detect), which this build does not include yet.', EXIT.network);
}
