/**
 * `scan`'s detector: the core's credential detection engine (src/core/detect), the same one the
 * language server runs, with the file kind taken from the file's name and the environment variable
 * names the CLI was given (for the messages' "use R2_SECRET_KEY instead").
 */
import type { EnvNames } from '../core/credentials/envImport';
import { detectCredentials } from '../core/detect/detectCredentials';
import { fileKindOf } from '../core/detect/fileKind';
import type { Detector } from './scanCommand';

export function loadDetector(names: EnvNames): Detector {
  const envNames = { accessKeyId: names.accessKeyId, secretKey: names.secretKey, accountId: names.accountId };
  return (text, fileName) => detectCredentials(text, fileKindOf(fileName), { envNames });
}
