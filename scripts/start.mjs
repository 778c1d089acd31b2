// `npm start`: the extension running from this repo in a real VS Code (code-server) on
// 127.0.0.1, with esbuild rebuilding dist/ on save ("Developer: Reload Window" picks it up).
// The repo is symlinked into a fresh extensions dir, so nothing is packaged or copied.
//   npm start [-- /path/to/folder]        PORT=9000 npm start
// Without a folder it opens a sample workspace whose `.env` points at a local S3 server (s3rver on
// 127.0.0.1) holding a small sample lakehouse, so Import R2 Credentials from Environment → Browse
// Bucket works with no account. Test R2 Bucket and preview need DuckDB's httpfs: online it is
// downloaded on first use; offline set DUCKDB_SECRETS_TEST_EXTENSION_DIR to a directory holding it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { workbenchUrl } from './browser.mjs';
import { run } from './build.mjs';
import { freePort, repoRoot, startCodeServer } from './codeServer.mjs';
import { BUCKET, setUpLakehouse } from './ui-lakehouse.mjs';

const stateDir = path.join(repoRoot, '.vscode-test', 'start'); // user data survives restarts
const extensionsDir = path.join(stateDir, 'extensions');
const sampleWorkspace = path.join(stateDir, 'sample-workspace');
const workspace = path.resolve(process.argv[2] ?? sampleWorkspace);

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

/**
 * The sample lakehouse: keys made up for this run (the local server accepts them, nothing else
 * does), written to the sample workspace's `.env` the way a dbt repository keeps them.
 */
async function startSampleLakehouse() {
  const profile = {
    accountId: randomBytes(16).toString('hex'),
    accessKeyId: `SAMPLE${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(24).toString('base64url'),
  };
  const lakehouse = await setUpLakehouse({ profile, awkwardNames: true });
  fs.rmSync(sampleWorkspace, { recursive: true, force: true });
  fs.mkdirSync(sampleWorkspace, { recursive: true });
  const env = [
    '# Made by `npm start` for a local S3 server on 127.0.0.1 (s3rver). Not real credentials.',
    `R2_ACCESS_KEY_ID=${profile.accessKeyId}`,
    `R2_SECRET_KEY=${profile.secretAccessKey}`,
    `CLOUDFLARE_ACCOUNT_ID=${profile.accountId}`,
    `DUCKLAKE_NAME=${BUCKET}`,
    `R2_ENDPOINT=${lakehouse.endpoint}`,
  ];
  fs.writeFileSync(path.join(sampleWorkspace, '.env'), `${env.join('\n')}\n`, { mode: 0o600 });
  fs.writeFileSync(
    path.join(sampleWorkspace, 'README.md'),
    `# Sample lakehouse\n\nA local S3 server at ${lakehouse.endpoint} holds the bucket \`${BUCKET}\` (${lakehouse.objectCount} objects).\n\n` +
      '1. Run **DuckDB Secrets: Import R2 Credentials from Environment** (it reads `.env`).\n' +
      '2. Run **DuckDB Secrets: Browse Bucket**.\n' +
      '3. **Test R2 Bucket** and previews need DuckDB\'s httpfs extension (downloaded on first use when online).\n',
  );
  return lakehouse;
}

run('npm', ['run', '--silent', 'build']);
linkExtension();
const lakehouse = process.argv[2] ? undefined : await startSampleLakehouse();
const userDataDir = path.join(stateDir, 'user-data');
const server = await startCodeServer({
  port: await choosePort(),
  userDataDir,
  extensionsDir,
  workspace,
  stateDir,
  logFile: path.join(stateDir, 'code-server.log'),
  keepHome: true,
});
if (lakehouse) {
  // The sample's secret directory (and a self-built httpfs offline) for the extension's DuckDB.
  const file = path.join(userDataDir, 'User', 'settings.json');
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...lakehouse.settings }, null, 2)}\n`);
}
const watcher = spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: repoRoot, stdio: 'inherit' });

console.log(`\nDuckDB Secrets in code-server: ${workbenchUrl(server.url, { folder: workspace })}`);
console.log(`esbuild rebuilds dist/ on save; run "Developer: Reload Window" to load it. Log: ${path.relative(repoRoot, stateDir)}/code-server.log`);
if (lakehouse) {
  console.log(`Sample lakehouse: s3rver at ${lakehouse.endpoint}, bucket "${BUCKET}" (${lakehouse.objectCount} objects); the workspace's .env points at it.`);
  console.log('Try "Import R2 Credentials from Environment", then "Browse Bucket".' + (lakehouse.httpfs ? '' : ' Test R2 Bucket needs httpfs (online, or DUCKDB_SECRETS_TEST_EXTENSION_DIR).'));
}
console.log('Ctrl-C stops it.');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  watcher.kill();
  await server.stop();
  await lakehouse?.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
