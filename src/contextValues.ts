/**
 * `contextValue` strings for tree items, built from composable parts so menus can match on them
 * (`viewItem =~ /^secret:r2\+/`, `viewItem =~ /\+memory$/`). No VS Code import.
 */
export const CONTEXT = {
  storageGroup: (storage: string) => `storage:${storage}`,
  secret: (type: string, storage: string) => `secret:${type}+${storage}`,
  message: 'message',
} as const;
