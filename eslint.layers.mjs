// The layer rules: which way imports may point. Shared by eslint.config.mjs and the check in
// scripts/check-architecture.mjs, which lints files that break each rule and expects the errors.
const vscode = { name: 'vscode', message: 'Only src/extension may import vscode: core, server and cli run in plain Node.' };
const shell = (layer, message) => ({ regex: `(^|/)${layer}/`, message });

export const layerRules = [
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscode],
          patterns: [
            shell('extension', 'src/core imports nothing from the shells (extension).'),
            shell('server', 'src/core imports nothing from the shells (server).'),
            shell('cli', 'src/core imports nothing from the shells (cli).'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [vscode], patterns: [shell('extension', 'The language server and the CLI do not import the VS Code extension.')] },
      ],
    },
  },
];
