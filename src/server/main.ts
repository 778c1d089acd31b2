/**
 * `node dist/server.js --stdio` (or `--node-ipc`, `--socket=N`): the language server on its own,
 * for VS Code's client and for any other editor (Neovim, Helix).
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startLintServer } from './lintServer';

startLintServer(createConnection(ProposedFeatures.all));
