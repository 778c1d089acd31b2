/**
 * `contextValue` strings for tree items, built from composable parts so menus can match on them
 * (`viewItem =~ /^secret:r2\+/`, `viewItem =~ /\+memory$/`). No VS Code import.
 */
export const CONTEXT = {
  storageGroup: (storage: string) => `storage:${storage}`,
  secret: (type: string, storage: string) => `secret:${type}+${storage}`,
  message: 'message',
  /** Bucket view folders: `bucketFolder`, `bucketFolder+root`, `bucketFolder+partition`. */
  bucketFolder: (flag?: 'root' | 'partition') => (flag ? `bucketFolder+${flag}` : 'bucketFolder'),
  /** Bucket view objects: `bucketObject`, or `bucketObject+preview` for files Preview Object reads. */
  bucketObject: (previewable: boolean) => (previewable ? 'bucketObject+preview' : 'bucketObject'),
  bucketLoadMore: 'bucketLoadMore',
} as const;
