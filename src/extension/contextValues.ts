/**
 * `contextValue` strings for tree items, built from composable parts so menus can match on them
 * (`viewItem =~ /^secret:r2\+/`, `viewItem =~ /\+memory$/`). No VS Code import.
 */
export const CONTEXT = {
  storageGroup: (storage: string) => `storage:${storage}`,
  /** `secret:r2+memory`; an R2-backed secret of another type (an `s3://` one) ends in `+r2`: `secret:s3+memory+r2`. */
  secret: (type: string, storage: string, r2Backed = false) => `secret:${type}+${storage}${r2Backed && type !== 'r2' ? '+r2' : ''}`,
  message: 'message',
  /** Bucket view folders: `bucketFolder`, `bucketFolder+root`, `bucketFolder+partition`. */
  bucketFolder: (flag?: 'root' | 'partition') => (flag ? `bucketFolder+${flag}` : 'bucketFolder'),
  /** Bucket view objects: `bucketObject`, or `bucketObject+preview` for files Preview Object reads. */
  bucketObject: (previewable: boolean) => (previewable ? 'bucketObject+preview' : 'bucketObject'),
  bucketLoadMore: 'bucketLoadMore',
} as const;
