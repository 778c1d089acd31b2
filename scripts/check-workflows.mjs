// Lint for GitHub Actions workflows (the second half of `npm run lint`): every file in
// .github/workflows must pass @action-validator's schema check and this project's rules:
// actions pinned to a commit SHA or a full vX.Y.Z tag, least `permissions` (read-only at the top,
// writes granted per job), secrets reaching scripts only through `env:` and never in `if:`,
// checkouts without persisted credentials, no `pull_request_target`, no event text in scripts.
//   node scripts/check-workflows.mjs [dir]        (default: .github/workflows)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import validator from '@action-validator/core';
import YAML from 'yaml';

const PINNED_REF = /^([0-9a-f]{40}|v\d+\.\d+\.\d+)$/;
const PERMISSION_LEVELS = new Set(['read', 'write', 'none']);

/** One line per leaf error; of a one_of, the branch with the fewest errors (the one meant). */
function flatten(errors, out = []) {
  for (const error of errors) {
    if (error.states?.length) {
      const closest = [...error.states].sort((a, b) => a.errors.length - b.errors.length)[0];
      if (closest.errors.length > 0) {
        flatten(closest.errors, out);
        continue;
      }
    }
    const where = error.path ?? (error.location ? `line ${error.location.line}:${error.location.column}` : '');
    out.push(`${where ? `${where}: ` : ''}${error.detail ?? error.title}`);
  }
  return out;
}

function checkUses(where, uses, problems) {
  if (typeof uses !== 'string' || uses.startsWith('./')) return;
  if (uses.startsWith('docker://')) {
    if (!/(@sha256:[0-9a-f]{64}|:[\w.-]+)$/.test(uses) || uses.endsWith(':latest')) problems.push(`${where}: ${uses} is not pinned to a tag or digest`);
    return;
  }
  const ref = uses.split('@')[1];
  if (!ref || !PINNED_REF.test(ref)) problems.push(`${where}: ${uses} is not pinned to a commit SHA or a full vX.Y.Z tag`);
}

function checkPermissions(where, permissions, { writable }, problems) {
  if (typeof permissions === 'string') {
    problems.push(`${where}: permissions "${permissions}" is too broad; name each scope`);
    return;
  }
  for (const [scope, level] of Object.entries(permissions ?? {})) {
    if (!PERMISSION_LEVELS.has(level)) problems.push(`${where}: permission ${scope}: ${level} is not read, write or none`);
    else if (level === 'write' && !writable) problems.push(`${where}: ${scope}: write belongs to the job that needs it, not the whole workflow`);
  }
}

/** Expressions (`${{ … }}`) in a string. */
const expressions = (text) => [...String(text).matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => match[1]);

function checkStep(where, step, problems) {
  checkUses(where, step.uses, problems);
  if (typeof step.uses === 'string' && step.uses.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) {
    problems.push(`${where}: actions/checkout must set persist-credentials: false`);
  }
  if (step.run !== undefined) {
    for (const expression of expressions(step.run)) {
      if (/\bsecrets\./.test(expression)) problems.push(`${where}: a secret is expanded into the script; pass it through env:`);
      if (/\bgithub\.(event|head_ref)\b/.test(expression)) problems.push(`${where}: event text is expanded into the script; pass it through env:`);
    }
  }
  if (step.if !== undefined && /\bsecrets\./.test(String(step.if))) problems.push(`${where}: secrets cannot be read in if:; test an env value mapped from the secret`);
}

/** Problems in one workflow file's text; an empty list means it passes. */
export function checkWorkflow(text) {
  const validation = validator.validateWorkflow(text);
  if (validation.errors.length > 0) return flatten(validation.errors).map((line) => `schema: ${line}`);

  const problems = [];
  const workflow = YAML.parse(text);
  const triggers = typeof workflow.on === 'string' ? [workflow.on] : Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on ?? {});
  if (triggers.includes('pull_request_target')) problems.push('on: pull_request_target runs fork code with secrets; use pull_request');
  if (workflow.permissions === undefined) problems.push('no top-level permissions: (the default token may write)');
  else checkPermissions('permissions', workflow.permissions, { writable: false }, problems);

  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    const where = `jobs.${id}`;
    if (job.permissions !== undefined) checkPermissions(`${where}.permissions`, job.permissions, { writable: true }, problems);
    if (job.if !== undefined && /\bsecrets\./.test(String(job.if))) problems.push(`${where}.if: secrets cannot be read in if:`);
    checkUses(where, job.uses, problems);
    const image = typeof job.container === 'string' ? job.container : job.container?.image;
    if (image !== undefined && (!/[:@]/.test(image) || image.endsWith(':latest'))) problems.push(`${where}.container: ${image} is not pinned to a tag or digest`);
    (job.steps ?? []).forEach((step, index) => checkStep(`${where}.steps[${index}]${step.name ? ` (${step.name})` : ''}`, step, problems));
  }
  return problems;
}

/** Checks every .yml/.yaml in `dir`; resolves to the files checked, throws listing problems. */
export function checkWorkflowDir(dir) {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort() : [];
  if (files.length === 0) throw new Error(`no workflow files in ${dir}`);
  const failures = files.flatMap((name) => checkWorkflow(fs.readFileSync(path.join(dir, name), 'utf8')).map((problem) => `${name}: ${problem}`));
  if (failures.length > 0) throw new Error(`${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = process.argv[2] ?? path.join(root, '.github', 'workflows');
  try {
    console.log(`[workflows] ok ${checkWorkflowDir(dir).join(', ')}`);
  } catch (error) {
    console.error(`[workflows] FAILED in ${path.relative(process.cwd(), dir) || dir}: ${error.message}`);
    process.exitCode = 1;
  }
}
