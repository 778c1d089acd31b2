// `npm start`: the extension running from this repo in a real VS Code (code-server) on
// 127.0.0.1, with esbuild rebuilding dist/ on save ("Developer: Reload Window" picks it up).
// The repo is symlinked into a fresh extensions dir, so nothing is packaged or copied.
//   npm start [-- /path/to/folder]        PORT=9000 npm start
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { workbenchUrl } from './browser.mjs';
import { run } from './build.mjs';
import { freePort, repoRoot, startCodeServer } from './codeServer.mjs';

const stateDir = path.join(repoRoot, '.vscode-test', 'start'); // user data survives restarts
const extensionsDir = path.join(stateDir, 'extensions');
const workspace = path.resolve(process.argv[2] ?? path.join(repoRoot, 'test', 'fixtures', 'workspace'));

const isFree = (port) =>
  new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

async function choosePort() {
  if (process.env.PORT) return Number(process.env.PORT);
  return (await isFree(8080)) ? 8080 : freePort();
}

function linkExtension() {
  const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  // A fresh dir each time: code-server registers what it finds there on first start.
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.symlinkSync(repoRoot, path.join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');
}

run('npm', ['run', '--silent', 'build']);
linkExtension();
const server = await startCodeServer({
  port: await choosePort(),
  userDataDir: path.join(stateDir, 'user-data'),
  extensionsDir,
  workspace,
  stateDir,
  logFile: path.join(stateDir, 'code-server.log'),
});
const watcher = spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: repoRoot, stdio: 'inherit' });

console.log(`\nDuckDB Secrets in code-server: ${workbenchUrl(server.url, { folder: workspace })}`);
console.log(`esbuild rebuilds dist/ on save; run "Developer: Reload Window" to load it. Log: ${path.relative(repoRoot, stateDir)}/code-server.log`);
console.log('Ctrl-C stops it.');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  watcher.kill();
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
