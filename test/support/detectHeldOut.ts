/**
 * A second labelled set, written after the rules and in another style (whole files, other tools'
 * conventions, lower case, double quotes, odd spacing), to estimate how the detector does on
 * files it was not tuned on. Its first score is kept in the README next to the main corpus.
 */
import { createHash } from 'node:crypto';
import type { CaseTemplate } from './labelledCase';
import { notebook } from './detectCorpusDocs';

const md5Of = (text: string): string => createHash('md5').update(text).digest('hex');

export const HELD_OUT: Record<string, CaseTemplate> = {
  'profiles.yml with an s3 secret against R2': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'profiles.yml',
      text: `jaffle:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: jaffle.duckdb\n      extensions: [httpfs, parquet]\n      secrets:\n        - type: s3\n          region: auto\n          endpoint: ${account}.r2.cloudflarestorage.com\n          key_id: '${id}'\n          secret: '${secret}'\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'lower-case persistent secret with double quotes': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'setup/secrets.sql',
      text: `create or replace persistent secret lake in local_file (\n\ttype r2,\n\tkey_id "${id}",\n\tsecret "${secret}",\n\taccount_id "${account}"\n);\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'f-string SQL with one literal': (f) => {
    const secret = f.r2Secret();
    return {
      fileName: 'nb_export.py',
      text: `KEY = os.environ["R2_ACCESS_KEY_ID"]\nduckdb.sql(f"""CREATE SECRET (TYPE R2, KEY_ID '{KEY}', SECRET '${secret}', ACCOUNT_ID '{ACCOUNT}')""")\n`,
      expected: [['secret', secret]],
    };
  },
  '.env with spaces around =': (f) => {
    const secret = f.r2Secret();
    return { fileName: '.env', text: `R2_SECRET_KEY = ${secret}\n`, expected: [['secret', secret]] };
  },
  'Airflow connection YAML': (f) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    return {
      fileName: 'airflow_connections.yaml',
      text: `aws_lake:\n  conn_type: aws\n  extra:\n    aws_access_key_id: ${id}\n    aws_secret_access_key: ${secret}\n    region_name: eu-central-1\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'duckdb CLI with legacy settings': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'bin/query.sh',
      text: `duckdb -c "SET s3_endpoint='x.r2.cloudflarestorage.com'; SET s3_access_key_id='${id}'; SET s3_secret_access_key='${secret}'; SELECT 1;"\n`,
      expected: [['legacy_set', id], ['legacy_set', secret]],
    };
  },
  'README bullet list with inline code': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'README.md',
      text: `## Credentials\n\n- key id: \`KEY_ID '${id}'\`\n- secret: \`SECRET '${secret}'\`\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'boto3 Session with a session token': (f) => {
    const [id, secret, token] = [f.awsKeyId('ASIA'), f.awsSecret(), f.awsSessionToken()];
    return {
      fileName: 'sts_session.py',
      text: `session = boto3.Session(\n    aws_access_key_id='${id}',\n    aws_secret_access_key='${secret}',\n    aws_session_token='${token}',\n)\n`,
      expected: [['key_id', id], ['secret', secret], ['session_token', token]],
    };
  },
  's3cmd config': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return { fileName: '.s3cfg', text: `[default]\naccess_key = ${id}\nsecret_key = ${secret}\nhost_base = r2.example\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'fallback after an environment lookup': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'fallback.py', text: `secret = os.environ.get("R2_SECRET_KEY") or "${secret}"\n`, expected: [['secret', secret]] };
  },
  'SET VARIABLE with a secret': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'vars.sql', text: `SET VARIABLE r2_secret = '${secret}';\nCREATE SECRET (TYPE r2, KEY_ID getvariable('r2_id'), SECRET getvariable('r2_secret'));\n`, expected: [['secret', secret]] };
  },
  'dbt_project vars': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'dbt_project.yml', text: `name: lake\nvars:\n  r2_secret_key: "${secret}"\n  start_date: "2024-01-01"\n`, expected: [['secret', secret]] };
  },
  'MotherDuck token in a connect config': (f) => {
    const token = f.motherDuckToken();
    return { fileName: 'md_connect.py', text: `con = duckdb.connect("md:", config={"motherduck_token": "${token}"})\n`, expected: [['motherduck_token', token]] };
  },
  'lower-case motherduck_token in .env': (f) => {
    const token = f.motherDuckToken();
    return { fileName: '.env', text: `motherduck_token=${token}\n`, expected: [['motherduck_token', token]] };
  },
  'token pasted in MotherDuck notes': (f) => {
    const token = f.motherDuckToken();
    return { fileName: 'docs/motherduck.md', text: `MotherDuck setup. My token: ${token}\n`, expected: [['motherduck_token', token]] };
  },
  'Kubernetes secret manifest': (f) => {
    const secret = f.awsSecret();
    return {
      fileName: 'k8s/secret.yaml',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: lake\nstringData:\n  AWS_SECRET_ACCESS_KEY: "${secret}"\n`,
      expected: [['secret', secret]],
    };
  },
  'postgres URL in YAML': (f) => {
    const password = f.password();
    return { fileName: 'config/db.yml', text: `warehouse:\n  url: postgres://etl:${password}@10.0.0.5:5432/dw\n`, expected: [['password', password]] };
  },
  'libpq ATTACH for postgres': (f) => {
    const password = f.password();
    return {
      fileName: 'pg_attach.sql',
      text: `ATTACH 'dbname=postgres user=postgres host=127.0.0.1 password=${password}' AS db (TYPE POSTGRES, READ_ONLY);\n`,
      expected: [['password', password]],
    };
  },
  'DuckLake catalog with data path': (f) => {
    const password = f.password();
    return {
      fileName: 'ducklake.sql',
      text: `INSTALL ducklake;\nATTACH 'ducklake:postgres:dbname=ducklake_catalog host=localhost password=${password}' AS my_ducklake (DATA_PATH 's3://lake/');\n`,
      expected: [['password', password]],
    };
  },
  'boto3-style constants': (f) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    return { fileName: 'constants.py', text: `ACCESS_KEY = "${id}"\nSECRET_KEY = "${secret}"\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'GitLab CI variables': (f) => {
    const secret = f.awsSecret();
    return { fileName: '.gitlab-ci.yml', text: `variables:\n  AWS_DEFAULT_REGION: us-east-1\n  AWS_SECRET_ACCESS_KEY: "${secret}"\n`, expected: [['secret', secret]] };
  },
  'block comment in SQL': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return { fileName: 'old.sql', text: `/*\n  KEY_ID '${id}'\n  SECRET '${secret}'\n*/\nSELECT 42;\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'R2_KEY in .env': (f) => {
    const id = f.r2KeyId();
    return { fileName: '.env', text: `R2_KEY=${id}\n`, expected: [['key_id', id]] };
  },
  'dict with spaced colons': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return { fileName: 'opts.py', text: `opts = { 'key_id' : '${id}' , 'secret' : '${secret}' }\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'notebook whose source is one string': (f) => {
    const secret = f.r2Secret();
    const text = notebook([{ type: 'code', source: 'x' }]).replace('"source": [\n    "x"\n   ]', `"source": "R2_SECRET_KEY = '${secret}'\\n"`);
    return { fileName: 'single.ipynb', text, expected: [['secret', secret]] };
  },
  'zshrc export of a MotherDuck token': (f) => {
    const token = f.motherDuckToken();
    return { fileName: '.zshrc', text: `export MOTHERDUCK_TOKEN="${token}"\n`, expected: [['motherduck_token', token]] };
  },
  // Negatives.
  // AWS's documentation pair, assembled here so that no scanner reads it as a literal.
  'AWS documentation key in a secret': () => ({
    fileName: 'doc.sql',
    text: `CREATE SECRET (TYPE s3, KEY_ID '${['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')}', SECRET '${['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/')}');\n`,
  }),
  'YOUR_ placeholders': () => ({ fileName: 'README.md', text: "```sql\nCREATE SECRET (TYPE r2, KEY_ID '<YOUR_R2_ACCESS_KEY_ID>', SECRET '<YOUR_R2_SECRET>', ACCOUNT_ID '<ACCOUNT>');\n```\n" }),
  'md5 of a word': () => ({ fileName: 'hash.sql', text: `SELECT md5('hello') = '${md5Of('hello')}' AS same;\n` }),
  'shell-style reference in YAML': () => ({ fileName: 'config.yml', text: 'key_id: ${R2_ACCESS_KEY_ID}\nsecret: ${R2_SECRET_KEY}\n' }),
  'getpass prompt': () => ({ fileName: 'prompt.py', text: 'secret = getpass.getpass("R2 secret: ")\nkey_id = input("R2 key id: ")\n' }),
  'read -s in shell': () => ({ fileName: 'ask.sh', text: 'read -rs R2_SECRET_KEY\nexport R2_SECRET_KEY\n' }),
  'empty .env.example': () => ({ fileName: '.env.example', text: 'R2_ACCESS_KEY_ID=\nR2_SECRET_KEY=\nCLOUDFLARE_ACCOUNT_ID=\n' }),
  'package-lock integrity': (f) => ({ fileName: 'package-lock.json', text: `{"node_modules/x": {"integrity": "sha512-${f.blob(86)}=="}}\n` }),
  'sha256 in a comment': (f) => ({ fileName: 'verify.py', text: `# expected digest ${f.sha256()}\nassert digest == EXPECTED\n` }),
  'env_var secret password': () => ({ fileName: 'profiles.yml', text: `      password: "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}"\n` }),
  'Azure placeholder key': () => ({ fileName: '.env', text: 'AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<your-account-key>;EndpointSuffix=core.windows.net"\n' }),
  'md: with a Jinja token': () => ({ fileName: 'profiles.yml', text: `      path: "md:analytics?motherduck_token={{ env_var('MOTHERDUCK_TOKEN') }}"\n` }),
  'account id alone in YAML': (f) => ({ fileName: 'r2.yml', text: `account_id: ${f.accountId()}\nbucket: lake\n` }),
  'masked key in docs': (f) => ({ fileName: 'docs/show.md', text: `DuckDB shows \`key_id=${f.r2KeyId().slice(0, 6)}********************\` and \`secret=redacted\`.\n` }),
  'ETag in a listing': (f) => ({ fileName: 'listing.json', text: `[{"Key": "orders/part-0.parquet", "ETag": "\\"${f.md5()}\\"", "Size": 1024}]\n` }),
  'which_secret and secret names': () => ({ fileName: 'which.sql', text: "FROM which_secret('r2://lake/orders', 'r2');\nDROP PERSISTENT SECRET IF EXISTS r2_prod_secret;\n" }),
};
