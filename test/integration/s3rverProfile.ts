/**
 * An active R2 profile on a real s3rver on 127.0.0.1, signing with s3rver's own keys. Its bucket
 * `lake` holds a small lakehouse: README.md, one Hive-partitioned Parquet path and 1,100 CSV files
 * in logs/ (more than one page of a listing): 1,102 objects.
 */
import type { DuckDBSecretsApi } from '../../src/extension/testApi';
import type { ProfileInfo } from '../../src/core/credentials/profiles';
import { S3Server, S3RVER_KEY } from '../support/s3Server';
import { s3rverProfileInfo } from '../support/testProfiles';

export class S3rverProfile {
  private constructor(
    private readonly api: DuckDBSecretsApi,
    readonly server: S3Server,
    readonly profile: ProfileInfo,
    private readonly previousActive: ProfileInfo | undefined,
  ) {}

  /** Starts the server, seeds `lake`, and saves and activates a profile labelled `<labelPrefix>-<time>`. */
  static async start(api: DuckDBSecretsApi, labelPrefix: string): Promise<S3rverProfile> {
    const server = await S3Server.start({ buckets: ['lake'] });
    try {
      server.writeObjects('lake', [
        { key: 'README.md', body: 'lakehouse!' },
        { key: 'sales/year=2024/month=01/part-0.parquet', body: 'x'.repeat(10) },
        ...Array.from({ length: 1100 }, (_, i) => ({ key: `logs/l${String(i).padStart(4, '0')}.csv`, body: 'a\n' })),
      ]);
      const previousActive = api.profiles.store.activeProfile();
      const profile = await api.profiles.store.save(undefined, s3rverProfileInfo(server, `${labelPrefix}-${Date.now()}`), S3RVER_KEY, { activate: true });
      return new S3rverProfile(api, server, profile, previousActive);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Deletes the profile, makes the one active before it active again, and stops the server. */
  async stop(): Promise<void> {
    try {
      await this.api.profiles.store.delete(this.profile.id);
      if (this.previousActive) await this.api.profiles.store.setActive(this.previousActive.id);
    } finally {
      await this.server.stop();
    }
  }
}
