// Headless Debian Chromium, driven by playwright-core, showing code-server's web workbench.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './codeServer.mjs';

const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A browser with a fresh profile in `profileDir` (so SecretStorage starts empty). */
export function launchChromium(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: flags,
    viewport: { width: 1440, height: 900 },
  });
}

/**
 * The workbench URL for `folder`. `payload` (pairs such as extensionDevelopmentPath) is how
 * the web workbench is told to load a development extension and run its tests; paths in it
 * become vscode-remote URIs on this server.
 */
export function workbenchUrl(serverUrl, { folder, payload }) {
  const url = new URL(serverUrl);
  url.searchParams.set('folder', folder);
  if (payload) {
    const remote = (file) => `vscode-remote://${url.host}${file}`;
    const pairs = Object.entries(payload).map(([key, value]) => [key, key.endsWith('Path') ? remote(value) : value]);
    url.searchParams.set('payload', JSON.stringify(pairs));
  }
  return url.toString();
}
