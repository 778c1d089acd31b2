/**
 * Labelled cases for the detector, part 2: YAML (dbt profiles and projects, compose, CI), `.env`
 * files and shell scripts.
 */
import type { CaseTemplate } from './labelledCase';

export const YAML_POSITIVES: Record<string, CaseTemplate> = {
  'yaml: dbt-duckdb settings with s3 keys': (f, v) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    const q = v % 2 ? '"' : '';
    return {
      fileName: 'profiles.yml',
      text: `lake:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      settings:\n        s3_access_key_id: ${q}${id}${q}\n        s3_secret_access_key: ${q}${secret}${q}\n        s3_region: auto\n`,
      expected: [['legacy_set', id], ['legacy_set', secret]],
    };
  },
  'yaml: dbt-duckdb secrets list': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'profiles.yml',
      text: `lake:\n  outputs:\n    dev:\n      type: duckdb\n      secrets:\n        - type: r2\n          key_id: ${id}\n          secret: "${secret}"\n          account_id: ${account}\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'yaml: MotherDuck path with a token': (f) => {
    const token = f.motherDuckToken();
    return {
      fileName: 'profiles.yml',
      text: `md:\n  outputs:\n    prod:\n      type: duckdb\n      path: "md:analytics?motherduck_token=${token}"\n`,
      expected: [['password', token]],
    };
  },
  'yaml: MotherDuck token setting': (f) => {
    const token = f.motherDuckToken();
    return {
      fileName: 'profiles.yml',
      text: `md:\n  outputs:\n    prod:\n      type: duckdb\n      path: "md:analytics"\n      settings:\n        motherduck_token: ${token}\n`,
      expected: [['motherduck_token', token]],
    };
  },
  'yaml: postgres password in a profile': (f) => {
    const password = f.password();
    return {
      fileName: 'profiles.yml',
      text: `pg:\n  outputs:\n    dev:\n      type: postgres\n      host: localhost\n      user: etl\n      password: ${password}\n      port: 5432\n`,
      expected: [['password', password]],
    };
  },
  'yaml: env_var default': (f) => {
    const id = f.r2KeyId();
    return {
      fileName: 'profiles.yml',
      text: `      secrets:\n        - type: r2\n          key_id: "{{ env_var('R2_ACCESS_KEY_ID', '${id}') }}"\n          secret: "{{ env_var('R2_SECRET_KEY') }}"\n`,
      expected: [['key_id', id]],
    };
  },
  'yaml: dbt_project on-run-start hook': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'dbt_project.yml',
      text: `name: lake\non-run-start:\n  - "CREATE SECRET IF NOT EXISTS r2 (TYPE r2, KEY_ID '${id}', SECRET '${secret}', ACCOUNT_ID '{{ env_var(\\"CLOUDFLARE_ACCOUNT_ID\\") }}')"\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'yaml: compose environment': (f, v) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    const text =
      v % 2
        ? `services:\n  etl:\n    environment:\n      - AWS_ACCESS_KEY_ID=${id}\n      - AWS_SECRET_ACCESS_KEY=${secret}\n`
        : `services:\n  etl:\n    environment:\n      AWS_ACCESS_KEY_ID: ${id}\n      AWS_SECRET_ACCESS_KEY: "${secret}"\n`;
    return { fileName: 'docker-compose.yml', text, expected: [['key_id', id], ['secret', secret]] };
  },
  'yaml: commented-out secret': (f) => {
    const secret = f.r2Secret();
    return {
      fileName: 'models/schema.yml',
      text: `version: 2\n# secret: ${secret}\nmodels:\n  - name: orders\n`,
      expected: [['secret', secret]],
    };
  },
  'yaml: CI env block': (f) => {
    const id = f.awsKeyId();
    return {
      fileName: '.github/workflows/dbt.yml',
      text: `jobs:\n  run:\n    env:\n      AWS_ACCESS_KEY_ID: ${id}\n      AWS_SECRET_ACCESS_KEY: \${{ secrets.AWS_SECRET_ACCESS_KEY }}\n`,
      expected: [['key_id', id]],
    };
  },
};

export const ENV_POSITIVES: Record<string, CaseTemplate> = {
  'env: R2 trio': (f, v) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    const q = v % 2 ? '"' : '';
    return {
      fileName: '.env',
      text: `# lakehouse\nCLOUDFLARE_ACCOUNT_ID=${account}\nR2_ACCESS_KEY_ID=${q}${id}${q}\nR2_SECRET_KEY=${q}${secret}${q}\nDUCKLAKE_NAME=lake\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'env: AWS keys and session token': (f) => {
    const [id, secret, token] = [f.awsKeyId('ASIA'), f.awsSecret(), f.awsSessionToken()];
    return {
      fileName: '.env.local',
      text: `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_SESSION_TOKEN=${token}\nAWS_REGION=us-east-1\n`,
      expected: [['key_id', id], ['secret', secret], ['session_token', token]],
    };
  },
  'env: MotherDuck token': (f) => {
    const token = f.motherDuckToken();
    return { fileName: '.env', text: `MOTHERDUCK_TOKEN=${token}\n`, expected: [['motherduck_token', token]] };
  },
  'env: .envrc exports': (f) => {
    const secret = f.r2Secret();
    return { fileName: '.envrc', text: `export R2_ACCESS_KEY_ID=$(pass show r2/id)\nexport R2_SECRET_KEY='${secret}'\n`, expected: [['secret', secret]] };
  },
  'env: database URL': (f) => {
    const password = f.password();
    return { fileName: '.env', text: `DATABASE_URL=postgresql://etl:${password}@db.internal:5432/dw\n`, expected: [['password', password]] };
  },
  'env: Azure connection string': (f) => {
    const key = f.azureAccountKey();
    return {
      fileName: '.env.production',
      text: `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=lake;AccountKey=${key};EndpointSuffix=core.windows.net"\n`,
      expected: [['secret', key]],
    };
  },
  'env: GCS HMAC keys': (f) => {
    const [id, secret] = [f.gcsHmacId(), f.gcsSecret()];
    return { fileName: '.env', text: `GCS_ACCESS_KEY_ID=${id}\nGCS_SECRET_ACCESS_KEY=${secret}\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'env: postgres password': (f) => {
    const password = f.password();
    return { fileName: '.env', text: `PGHOST=db.internal\nPGPASSWORD=${password}\n`, expected: [['password', password]] };
  },
};

export const SHELL_POSITIVES: Record<string, CaseTemplate> = {
  'shell: exports': (f) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    return {
      fileName: 'scripts/run.sh',
      text: `#!/usr/bin/env bash\nset -euo pipefail\nexport AWS_ACCESS_KEY_ID=${id}\nexport AWS_SECRET_ACCESS_KEY="${secret}"\ndbt run\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'shell: duckdb -c with CREATE SECRET': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'load.sh',
      text: `duckdb lake.duckdb -c "CREATE SECRET (TYPE r2, KEY_ID '${id}', SECRET '${secret}', ACCOUNT_ID '${account}'); FROM 'r2://lake/x.parquet';"\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'shell: fish set -gx': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'config.fish', text: `set -gx R2_SECRET_KEY ${secret}\nset -gx DUCKLAKE_NAME lake\n`, expected: [['secret', secret]] };
  },
  'shell: aws configure set': (f) => {
    const secret = f.awsSecret();
    return { fileName: 'setup.sh', text: `aws configure set aws_secret_access_key ${secret} --profile r2\n`, expected: [['secret', secret]] };
  },
  'shell: parameter default': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'env.sh', text: `R2_SECRET_KEY="\${R2_SECRET_KEY:-${secret}}"\n`, expected: [['secret', secret]] };
  },
  'shell: inline environment for one command': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'dbt.zsh', text: `R2_SECRET_KEY=${secret} dbt build --target prod\n`, expected: [['secret', secret]] };
  },
  'shell: CLI flags': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'sync.bash',
      text: `rclone sync ./out r2:lake --s3-access-key-id ${id} --s3-secret-access-key=${secret}\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
};
