/**
 * Labelled cases for the detector, part 4: the hard negatives. Each text holds something that looks
 * like a credential or stands where one would, and is none: placeholders, references, provider
 * chains, AWS documentation keys, masked values, checksums, UUIDs, git SHAs, `r2://` paths, `md:`
 * without a token, profile and secret names, a Cloudflare account id alone, other services' JWTs.
 */
import type { CaseTemplate } from './labelledCase';
import { notebook } from './detectCorpusDocs';

const secretWith = (keyId: string, secret: string): string =>
  `CREATE SECRET r2 (\n  TYPE r2,\n  KEY_ID '${keyId}',\n  SECRET '${secret}',\n  ACCOUNT_ID 'your_account_id'\n);\n`;

/** AWS's documentation keys: a fixed prefix, random middle, the EXAMPLE suffix. */
const exampleId = (middle: string): string => `AKIA${middle.toUpperCase().replace(/[^A-Z2-7]/g, 'Q').slice(0, 9)}EXAMPLE`;

export const NEGATIVES: Record<string, CaseTemplate> = {
  'credential_chain provider': (_f, v) => ({
    fileName: 'chain.sql',
    text: `CREATE SECRET r2 (\n  TYPE ${v % 2 ? 's3' : 'r2'},\n  PROVIDER credential_chain,\n  CHAIN 'env;config'\n);\n`,
  }),
  'dbt env_var references': () => ({ fileName: 'macros/s.sql', text: secretWith(`{{ env_var('R2_ACCESS_KEY_ID') }}`, `{{ env_var("R2_SECRET_KEY") }}`) }),
  'your_… placeholders': () => ({ fileName: 'README.md', text: '```sql\n' + secretWith('your_access_key_id', 'your_secret_access_key') + '```\n' }),
  'angle-bracket placeholders': () => ({ fileName: 'docs/r2.sql', text: secretWith('<KEY_ID>', '<SECRET>') }),
  'x placeholders': (_f, v) => ({ fileName: 'x.sql', text: secretWith(v % 2 ? 'xxx' : 'X'.repeat(32), 'x'.repeat(40)) }),
  'ellipses': (_f, v) => ({ fileName: 'e.sql', text: secretWith(v % 2 ? '…' : '...', '...') }),
  'REPLACE_ME, changeme, TODO': () => ({ fileName: '.env.example', text: 'R2_ACCESS_KEY_ID=REPLACE_ME\nR2_SECRET_KEY=changeme\nMOTHERDUCK_TOKEN=TODO\nPGPASSWORD=\n' }),
  'one digit repeated': (_f, v) => ({ fileName: 'zero.sql', text: secretWith((v % 2 ? '0' : '1').repeat(32), 'a'.repeat(64)) }),
  'counting hex': () => ({ fileName: 'count.sql', text: secretWith('0123456789abcdef'.repeat(2), '0123456789abcdef'.repeat(4)) }),
  'AWS documentation keys': (f) => ({
    fileName: 'aws.py',
    text: `s3 = boto3.client("s3", aws_access_key_id="${exampleId(f.blob(12))}", aws_secret_access_key="${f.blob(28).replace(/[+/]/g, 'K')}EXAMPLEKEY")\n`,
  }),
  'masked values': (f) => ({
    fileName: 'masked.md',
    text: `Key id \`${f.r2KeyId().slice(0, 4)}…\`, secret \`****\`, shown as KEY_ID '${f.r2KeyId().slice(0, 4)}...${f.r2KeyId().slice(0, 4)}' and SECRET '${f.r2Secret().slice(0, 6)}••••••'.\n`,
  }),
  'masked .env': (f) => ({ fileName: '.env', text: `R2_ACCESS_KEY_ID=${f.r2KeyId().slice(0, 4)}****************************\nR2_SECRET_KEY=********\n` }),
  'checksums in SQL': (f) => ({
    fileName: 'checks.sql',
    text: `SELECT * FROM files WHERE md5(content) = '${f.md5()}';\nSELECT sha256(x) = '${f.sha256()}' AS ok FROM t;\n`,
  }),
  'checksums in YAML': (f) => ({ fileName: 'package-lock.yml', text: `packages:\n  - package: dbt-labs/dbt_utils\n    sha1_hash: ${f.gitSha()}\n    etag: "${f.md5()}"\n` }),
  'UUIDs': (f) => ({ fileName: 'ids.sql', text: `INSERT INTO runs VALUES ('${f.uuid()}', now());\n-- key_id '${f.uuid()}'\n` }),
  'UUID under a key name': (f) => ({ fileName: 'kms.yml', text: `kms_key_id: ${f.uuid()}\nkey_id: ${f.uuid()}\n` }),
  'git SHAs': (f) => ({ fileName: 'packages.yml', text: `packages:\n  - git: "https://github.com/dbt-labs/dbt-utils.git"\n    revision: ${f.gitSha()}\n` }),
  'git SHA in a shell script': (f) => ({ fileName: 'deploy.sh', text: `git checkout ${f.gitSha()}\necho "deployed ${f.gitSha().slice(0, 7)}"\n` }),
  'r2:// paths with hex': (f) => ({
    fileName: 'paths.sql',
    text: `CREATE SECRET (TYPE r2, PROVIDER credential_chain, SCOPE 'r2://lake/${f.md5()}');\nFROM read_parquet('r2://lake/${f.r2KeyId()}/part-0.parquet');\n`,
  }),
  'md: without a token': () => ({ fileName: 'md.sql', text: `ATTACH 'md:my_db';\nATTACH 'md:' AS md;\nSELECT * FROM md.main.orders;\n` }),
  'md: path in a profile': () => ({ fileName: 'profiles.yml', text: 'md:\n  outputs:\n    prod:\n      type: duckdb\n      path: "md:analytics"\n' }),
  'secret and profile names': () => ({
    fileName: 'names.sql',
    text: `DROP SECRET r2_dev_secret;\nSELECT which_secret('r2://lake/x', 'r2');\nFROM duckdb_secrets() WHERE name = 'r2_prod_secret';\n`,
  }),
  'secret names in YAML': () => ({ fileName: 'profiles.yml', text: 'dev:\n  profile: r2-prod\n  secret: r2_prod_secret\n  secret_name: lakehouse_r2_secret_2024\n' }),
  'Cloudflare account id alone': (f) => ({ fileName: '.env', text: `CLOUDFLARE_ACCOUNT_ID=${f.accountId()}\nR2_ENDPOINT=https://${f.accountId()}.r2.cloudflarestorage.com\n` }),
  'account id in a secret without keys': (f) => ({
    fileName: 'acct.sql',
    text: `CREATE SECRET (TYPE r2, PROVIDER credential_chain, ACCOUNT_ID '${f.accountId()}');\n`,
  }),
  'Python references': () => ({
    fileName: 'refs.py',
    text: `s3 = boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key=os.getenv("AWS_SECRET_ACCESS_KEY"))\ncon.sql(f"SET s3_secret_access_key='{secret}'")\npassword = password\nsecret = args.secret\nconn = connect(password=get_password())\n`,
  }),
  'shell references': () => ({
    fileName: 'refs.sh',
    text: 'export R2_SECRET_KEY=$(pass show r2/secret)\nexport AWS_SECRET_ACCESS_KEY="$R2_SECRET_KEY"\nexport R2_ACCESS_KEY_ID=${VAULT_R2_ID}\n',
  }),
  '.env references': () => ({ fileName: '.env', text: 'R2_SECRET_KEY=${VAULT_R2_SECRET}\nAWS_SECRET_ACCESS_KEY=$R2_SECRET_KEY\n' }),
  'YAML references': () => ({
    fileName: 'profiles.yml',
    text: `      settings:\n        s3_access_key_id: "{{ env_var('R2_ACCESS_KEY_ID') }}"\n        s3_secret_access_key: "{{ env_var('R2_SECRET_KEY') }}"\n      password: "{{ env_var('DBT_PASSWORD') }}"\n`,
  }),
  'CI secret references': () => ({ fileName: '.github/workflows/ci.yml', text: 'env:\n  R2_SECRET_KEY: ${{ secrets.R2_SECRET_KEY }}\n  MOTHERDUCK_TOKEN: ${{ secrets.MD }}\n' }),
  'URLs without a password': () => ({
    fileName: '.env',
    text: 'DATABASE_URL=postgresql://etl@db.internal:5432/dw\nOTHER_URL=postgresql://etl:${PGPASSWORD}@db/dw\nDOCS=https://user:password@example.org\n',
  }),
  'other service JWT': (f) => ({ fileName: 'api.sh', text: `curl -H "Authorization: Bearer ${f.otherJwt()}" https://api.example.org/v1/items\n` }),
  'base64 image': (f) => ({ fileName: 'README.md', text: `![logo](data:image/png;base64,${f.blob(120)}==)\n` }),
  'hex in non-credential columns': (f) => ({
    fileName: 'ddl.sql',
    text: `CREATE TABLE api_keys (key_id VARCHAR PRIMARY KEY, secret_hash VARCHAR);\nINSERT INTO api_keys VALUES ('k1', '${f.sha256()}');\n`,
  }),
  'notebook with masked output': (f) => ({
    fileName: 'masked.ipynb',
    text: notebook([{ type: 'code', source: 'con.sql("FROM duckdb_secrets()").show()\n', output: `secret_string: name=r2;type=r2;key_id=${f.r2KeyId().slice(0, 4)}…;secret=redacted\n` }]),
  }),
  'legacy settings without credentials': (f) => ({ fileName: 'region.sql', text: `SET s3_region='auto';\nSET s3_endpoint='${f.accountId()}.r2.cloudflarestorage.com';\nSET s3_url_style='path';\n` }),
  'lookups without a default': () => ({
    fileName: 'models/m.sql',
    text: `{% set key = var('r2_secret') %}\n{{ env_var('R2_SECRET_KEY') }}\nselect '{{ env_var("MOTHERDUCK_TOKEN") }}'\n`,
  }),
  'Python annotations without values': () => ({ fileName: 'types.py', text: 'class Creds:\n    secret_key: str\n    password: Optional[str] = None\n\ndef f(key_id: str = None): ...\n' }),
  'YAML nulls': () => ({ fileName: 'profiles.yml', text: 'secrets:\n  - type: r2\n    key_id: null\n    secret: ~\n    password: ""\n' }),
  'GOOG1 padding': () => ({ fileName: '.env', text: `GCS_KEY_ID=GOOG1E${'X'.repeat(55)}\n` }),
  'empty session token': () => ({ fileName: 's.sql', text: "CREATE SECRET (TYPE s3, PROVIDER credential_chain, SESSION_TOKEN '');\n" }),
  'docs with placeholders in URLs and prose': () => ({
    fileName: 'docs/connect.md',
    text: 'Connect with `postgresql://user:<password>@host/db`, set `password: <your password>` and keep your secret key in the keychain.\n',
  }),
  'console labels without values': () => ({
    fileName: 'docs/r2.md',
    text: 'Copy the Access Key ID and the Secret Access Key into the keychain.\nSecret Access Key\n: shown once.\nR2 key: see the profile.\n| KEY_ID | your key id |\n',
  }),
  'password prose': () => ({ fileName: 'docs/faq.md', text: 'Password: the one you chose at sign-up.\nThe secret: keep it safe.\n' }),
  'env_var with non-credential defaults': () => ({ fileName: 'profiles.yml', text: `path: "{{ env_var('DUCKDB_PATH', 'dev.duckdb') }}"\nthreads: "{{ env_var('THREADS', '4') }}"\n` }),
};
