/**
 * Reading `.env` and `profiles.yml`, which come from whoever wrote the workspace: a size cap (a
 * 50 MB file is not a configuration file, and parsing it would stall the window), a check that the
 * text is text, and YAML parsed in linear time with duplicate keys named by line. The `yaml`
 * library's own unique-key check compares every key with every other (20,000 targets took 9 s), so
 * it is off and `duplicateKey` does the same check with a set. Merge keys (`<<: *base`) are on, as
 * in dbt's PyYAML; alias expansion stays capped by the library (a "billion laughs" file fails fast).
 * No VS Code import.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Document } from 'yaml';

/** The largest `.env` or `profiles.yml` read: real ones are a few KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Why `text` (from `file`) is not read as a configuration file, or undefined when it is fine. */
export function configTextProblem(text: string, file: string): string | undefined {
  if (text.length > MAX_CONFIG_BYTES) return `${file} is ${megabytes(text.length)}, larger than the ${megabytes(MAX_CONFIG_BYTES)} read from a configuration file; nothing was read from it.`;
  if (text.includes('\0')) return `${file} is not a text file (it holds NUL bytes); nothing was read from it.`;
  return undefined;
}

/** The file's text, after checking its size before reading it. ENOENT and other read errors are thrown as they are. */
export async function readConfigText(file: string): Promise<string> {
  const { size } = await stat(file);
  if (size > MAX_CONFIG_BYTES) throw new Error(`${file} is ${megabytes(size)}, larger than the ${megabytes(MAX_CONFIG_BYTES)} read from a configuration file; nothing was read from it.`);
  const text = await readFile(file, 'utf8');
  const problem = configTextProblem(text, file);
  if (problem) throw new Error(problem);
  return text;
}

const YAML_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false } as const;

/** A YAML file's document, checked: size, text, syntax, duplicate keys. Throws "<file> is not valid YAML: …". */
export async function parseYamlDocument(text: string, file: string): Promise<Document.Parsed> {
  const problem = configTextProblem(text, file);
  if (problem) throw new Error(problem);
  const yaml = await import('../vendor/yaml');
  const doc = yaml.parseDocument(text, YAML_OPTIONS);
  const first = doc.errors[0];
  if (first) throw new Error(`${file} is not valid YAML: ${firstLine(first.message)}`);
  const duplicate = await duplicateKey(doc.contents, text);
  if (duplicate) throw new Error(`${file} is not valid YAML: ${duplicate}`);
  return doc;
}

/** A YAML file's value as plain data (aliases expanded, capped by the library). */
export async function parseYaml(text: string, file: string): Promise<unknown> {
  const doc = await parseYamlDocument(text, file);
  try {
    // Stryker disable next-line ObjectLiteral: 100 is also the library's default; written out so the cap does not depend on it
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
}

/** "the key "dev" appears twice in one mapping (line 7)", or undefined. Iterative, so deep nesting cannot overflow the stack. */
async function duplicateKey(root: unknown, text: string): Promise<string | undefined> {
  const yaml = await import('../vendor/yaml');
  // Each node of a parsed tree has one parent (an alias is a node of its own), so nothing is visited twice.
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (yaml.isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (yaml.isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (keys.has(key)) {
            const line = pair.key.range ? text.slice(0, pair.key.range[0]).split('\n').length : undefined;
            // Stryker disable next-line StringLiteral: a parsed key always has a range, so the line is always there
            return `the key "${key.slice(0, 60)}" appears twice in one mapping${line ? ` (line ${line})` : ''}`;
          }
          keys.add(key);
        }
        pending.push(pair.value);
      }
    } else if (yaml.isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return undefined;
}

/** The first line of a library message (the rest repeats the source). */
function firstLine(message: string): string {
  // Stryker disable next-line StringLiteral: split always gives at least one element
  return message.split('\n')[0] ?? '';
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
