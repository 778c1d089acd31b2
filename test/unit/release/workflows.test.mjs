import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'mocha';
import YAML from 'yaml';
import { checkWorkflow, checkWorkflowDir } from '../../../scripts/check-workflows.mjs';
import { RELEASE_TARGETS } from '../../../scripts/duckdbBinding.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const workflows = path.join(root, '.github', 'workflows');
const read = (name) => fs.readFileSync(path.join(workflows, name), 'utf8');
const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';

/** A workflow that passes every rule, with `change` applied to its parsed form. */
function workflow(change = () => {}) {
  const parsed = {
    name: 'scratch',
    on: { push: {} },
    permissions: { contents: 'read' },
    jobs: { build: { 'runs-on': 'ubuntu-24.04', steps: [{ uses: CHECKOUT, with: { 'persist-credentials': false } }, { run: 'npm ci' }] } },
  };
  change(parsed);
  return YAML.stringify(parsed);
}

describe('workflow lint (npm run lint)', () => {
  it("passes this repository's workflows", () => {
    assert.deepEqual(checkWorkflowDir(workflows), ['ci.yml', 'mutation.yml', 'release.yml']);
  });

  it('passes a minimal workflow that keeps every rule', () => {
    assert.deepEqual(checkWorkflow(workflow()), []);
  });

  it("fails what GitHub's schema refuses", () => {
    const problems = checkWorkflow(workflow((w) => {
      w.jobs.build['runs_on'] = w.jobs.build['runs-on'];
      delete w.jobs.build['runs-on'];
    }));
    assert.ok(problems.some((line) => /^schema: .*runs_on/.test(line)), problems.join('\n'));
    assert.ok(checkWorkflow('on: [pusj]\njobs: {}\n').some((line) => line.startsWith('schema: /on')));
  });

  it('fails an action not pinned to a SHA or a full tag', () => {
    for (const ref of ['v4', 'main', 'v4.2']) {
      const problems = checkWorkflow(workflow((w) => (w.jobs.build.steps[1] = { uses: `actions/setup-node@${ref}` })));
      assert.deepEqual(problems, [`jobs.build.steps[1]: actions/setup-node@${ref} is not pinned to a commit SHA or a full vX.Y.Z tag`]);
    }
    assert.deepEqual(checkWorkflow(workflow((w) => (w.jobs.build.steps[1] = { uses: 'actions/setup-node@v7.0.0' }))), []);
  });

  it('fails missing or broad permissions, and writes granted to the whole workflow', () => {
    assert.deepEqual(checkWorkflow(workflow((w) => delete w.permissions)), ['no top-level permissions: (the default token may write)']);
    assert.deepEqual(checkWorkflow(workflow((w) => (w.permissions = 'write-all'))), ['permissions: permissions "write-all" is too broad; name each scope']);
    assert.deepEqual(checkWorkflow(workflow((w) => (w.permissions = { contents: 'write' }))), [
      'permissions: contents: write belongs to the job that needs it, not the whole workflow',
    ]);
    assert.deepEqual(checkWorkflow(workflow((w) => (w.jobs.build.permissions = { contents: 'write' }))), []);
  });

  it('fails secrets expanded into scripts or read in if:', () => {
    const inRun = checkWorkflow(workflow((w) => (w.jobs.build.steps[1] = { run: 'npx vsce publish -p ${{ secrets.VSCE_PAT }}' })));
    assert.deepEqual(inRun, ['jobs.build.steps[1]: a secret is expanded into the script; pass it through env:']);
    const inIf = checkWorkflow(workflow((w) => (w.jobs.build.steps[1] = { if: "secrets.VSCE_PAT != ''", run: 'npx vsce publish' })));
    assert.deepEqual(inIf, ['jobs.build.steps[1]: secrets cannot be read in if:; test an env value mapped from the secret']);
  });

  it('fails checkouts that keep credentials, pull_request_target, event text in scripts, unpinned containers', () => {
    assert.deepEqual(checkWorkflow(workflow((w) => delete w.jobs.build.steps[0].with)), ['jobs.build.steps[0]: actions/checkout must set persist-credentials: false']);
    assert.deepEqual(checkWorkflow(workflow((w) => (w.on = { pull_request_target: {} }))), ['on: pull_request_target runs fork code with secrets; use pull_request']);
    assert.deepEqual(checkWorkflow(workflow((w) => (w.jobs.build.steps[1] = { run: 'echo "${{ github.event.pull_request.title }}"' }))), [
      'jobs.build.steps[1]: event text is expanded into the script; pass it through env:',
    ]);
    assert.deepEqual(checkWorkflow(workflow((w) => (w.jobs.build.container = 'node:latest'))), ['jobs.build.container: node:latest is not pinned to a tag or digest']);
  });

  describe('the command line, on a scratch directory', () => {
    let dir;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-test-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const lint = () => spawnSync(process.execPath, [path.join(root, 'scripts', 'check-workflows.mjs'), dir], { encoding: 'utf8' });

    it('exits 1 naming the file and the problem for a broken workflow, 0 once it is mended', () => {
      fs.writeFileSync(path.join(dir, 'good.yml'), workflow());
      fs.writeFileSync(path.join(dir, 'broken.yml'), 'name: broken\non: push\njobs:\n  build:\n    steps:\n      - run: echo no runner\n');
      const failed = lint();
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, /broken\.yml: schema: \/jobs\/build\/runs-on: /);
      assert.doesNotMatch(failed.stderr, /good\.yml/);

      fs.writeFileSync(path.join(dir, 'broken.yml'), workflow());
      const passed = lint();
      assert.equal(passed.status, 0, passed.stderr);
      assert.match(passed.stdout, /ok broken\.yml, good\.yml/);
    });

    it('exits 1 when there is no workflow at all', () => {
      const result = lint();
      assert.equal(result.status, 1);
      assert.match(result.stderr, /no workflow files/);
    });
  });
});

describe('the workflows do what the release needs', () => {
  const ci = YAML.parse(read('ci.yml'));
  const release = YAML.parse(read('release.yml'));

  it('CI runs desktop VS Code stable and the lowest engine on macOS and Windows', () => {
    const { matrix } = ci.jobs.desktop.strategy;
    assert.deepEqual(matrix.vscode, ['stable', 'engine']);
    assert.ok(matrix.os.some((os) => os.startsWith('macos')) && matrix.os.some((os) => os.startsWith('windows')), matrix.os.join());
    const runs = ci.jobs.desktop.steps.map((step) => step.run).filter(Boolean);
    for (const script of ['npm run typecheck', 'npm run test:unit', 'npm run test:electron']) assert.ok(runs.includes(script), script);
    assert.ok(ci.jobs.linux.steps.some((step) => step.run === 'xvfb-run -a npm test'));
  });

  it('release packages, checks and smoke-loads every target the bindings ship for desktop VS Code', () => {
    const targets = release.jobs.package.strategy.matrix.include.map((entry) => entry.target);
    assert.deepEqual(targets, RELEASE_TARGETS);
    const runs = release.jobs.package.steps.map((step) => step.run ?? '').join('\n');
    for (const script of ['npm run package -- --target', 'node scripts/check-vsix.mjs --target', 'node scripts/smoke-vsix.mjs']) assert.ok(runs.includes(script), script);
  });

  it('release publishes only where a token is set, and only the publish steps see it', () => {
    const steps = release.jobs.publish.steps;
    const vsce = steps.find((step) => step.run?.includes('vsce publish'));
    const ovsx = steps.find((step) => step.run?.includes('ovsx@'));
    assert.equal(vsce.if, "env.HAS_VSCE_PAT == 'true'");
    assert.equal(ovsx.if, "env.HAS_OVSX_PAT == 'true'");
    assert.match(vsce.run, /--packagePath vsix\/\*\.vsix/);
    const withSecrets = Object.values(release.jobs).flatMap((job) => (job.steps ?? []).filter((step) => JSON.stringify(step.env ?? {}).includes('secrets.')));
    assert.deepEqual(withSecrets, [vsce, ovsx]);
  });
});
