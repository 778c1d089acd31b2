/**
 * Labelled cases for the detector, part 1: credentials in SQL (plain DuckDB and dbt Jinja) and
 * Python. Values come from the seeded generator; each case lists the values a reader must flag.
 */
import type { CaseTemplate } from './labelledCase';

const pickQuote = (variant: number): string => (variant % 2 === 0 ? "'" : '"');

export const SQL_POSITIVES: Record<string, CaseTemplate> = {
  'sql: CREATE SECRET r2 with key id, secret and account id': (f, v) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    const or = v % 2 ? 'OR REPLACE ' : '';
    return {
      fileName: 'models/setup.sql',
      text: `CREATE ${or}SECRET r2_lake (\n    TYPE r2,\n    KEY_ID '${id}',\n    SECRET '${secret}',\n    ACCOUNT_ID '${account}'\n);\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'sql: one-line persistent s3 secret with an AWS key': (f) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    return {
      fileName: 'init.sql',
      text: `INSTALL httpfs; LOAD httpfs;\nCREATE PERSISTENT SECRET s3_prod (TYPE s3, KEY_ID '${id}', SECRET '${secret}', REGION 'eu-west-1');\nFROM 's3://bucket/x.parquet';\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'sql: temporary credentials with a session token': (f) => {
    const [id, secret, token] = [f.awsKeyId('ASIA'), f.awsSecret(), f.awsSessionToken()];
    return {
      fileName: 'sts.sql',
      text: `create secret (\n  type s3,\n  key_id '${id}',\n  secret '${secret}',\n  session_token '${token}',\n  region 'us-east-1'\n);\n`,
      expected: [['key_id', id], ['secret', secret], ['session_token', token]],
    };
  },
  'sql: GCS HMAC secret': (f) => {
    const [id, secret] = [f.gcsHmacId(), f.gcsSecret()];
    return {
      fileName: 'gcs.sql',
      text: `CREATE SECRET gcs_lake (TYPE gcs, KEY_ID '${id}', SECRET '${secret}');\nSELECT count(*) FROM 'gcs://bucket/*.parquet';\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'sql: Azure connection string with an account key': (f) => {
    const key = f.azureAccountKey();
    return {
      fileName: 'azure.sql',
      text: `CREATE SECRET az (\n  TYPE azure,\n  CONNECTION_STRING 'DefaultEndpointsProtocol=https;AccountName=lakeacct;AccountKey=${key};EndpointSuffix=core.windows.net'\n);\n`,
      expected: [['secret', key]],
    };
  },
  'sql: MotherDuck secret token and SET motherduck_token': (f, v) => {
    const token = f.motherDuckToken();
    const text =
      v % 2
        ? `CREATE SECRET md IN MOTHERDUCK (TYPE motherduck, TOKEN '${token}');\n`
        : `SET motherduck_token = '${token}';\nATTACH 'md:analytics';\n`;
    return { fileName: 'md.sql', text, expected: [['motherduck_token', token]] };
  },
  'sql: legacy SET s3 settings': (f, v) => {
    const [id, secret] = v % 2 ? [f.r2KeyId(), f.r2Secret()] : [f.awsKeyId(), f.awsSecret()];
    const global = v % 3 === 0 ? 'GLOBAL ' : '';
    return {
      fileName: 'legacy.sql',
      text: `SET ${global}s3_region='auto';\nSET ${global}s3_access_key_id='${id}';\nSET ${global}s3_secret_access_key = '${secret}';\n`,
      expected: [['legacy_set', id], ['legacy_set', secret]],
    };
  },
  'sql: MotherDuck token in an ATTACH connection string': (f) => {
    const token = f.motherDuckToken();
    return { fileName: 'attach.sql', text: `ATTACH 'md:my_db?motherduck_token=${token}' AS md_db;\n`, expected: [['password', token]] };
  },
  'sql: DuckLake attach with a postgres password': (f) => {
    const password = f.password();
    return {
      fileName: 'lake.sql',
      text: `ATTACH 'ducklake:postgres:dbname=lake host=db.internal user=lake password=${password}' AS lake (DATA_PATH 'r2://lake/data/');\n`,
      expected: [['password', password]],
    };
  },
  'sql: postgres URL with a password': (f) => {
    const password = f.password();
    return {
      fileName: 'pg.sql',
      text: `ATTACH 'postgresql://analyst:${password}@pg.example.org:5432/warehouse' AS pg (TYPE postgres, READ_ONLY);\n`,
      expected: [['password', password]],
    };
  },
  'sql: postgres secret with PASSWORD': (f) => {
    const password = f.password();
    return {
      fileName: 'pg_secret.sql',
      text: `CREATE SECRET pg (TYPE postgres, HOST 'pg.example.org', USER 'etl', PASSWORD '${password}', DATABASE 'dw');\n`,
      expected: [['password', password]],
    };
  },
  'sql: dbt model with the secret in a Jinja comment': (f) => {
    const id = f.r2KeyId();
    return {
      fileName: 'models/staging/stg_orders.sql',
      text: `{{ config(materialized='table') }}\n{# old: KEY_ID '${id}' #}\nselect * from {{ source('lake', 'orders') }}\n`,
      expected: [['key_id', id]],
    };
  },
  'sql: commented-out secret lines': (f) => {
    const secret = f.r2Secret();
    return {
      fileName: 'scratch.sql',
      text: `CREATE SECRET (\n  TYPE r2,\n  PROVIDER credential_chain\n  -- SECRET '${secret}',\n);\n`,
      expected: [['secret', secret]],
    };
  },
  'sql: env_var default in a dbt macro': (f, v) => {
    const secret = f.r2Secret();
    const q = pickQuote(v);
    return {
      fileName: 'macros/secrets.sql',
      text: `{% macro r2_secret() %}\nCREATE SECRET (TYPE r2, KEY_ID '{{ env_var("R2_ACCESS_KEY_ID") }}', SECRET '{{ env_var(${q}R2_SECRET_KEY${q}, ${q}${secret}${q}) }}')\n{% endmacro %}\n`,
      expected: [['secret', secret]],
    };
  },
  'sql: value on the line after its option': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'wrapped.sql',
      text: `CREATE SECRET wrapped (\n  TYPE r2,\n  KEY_ID\n    '${id}',\n  SECRET\n    '${secret}'\n);\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'sql: Jinja set of a secret': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'macros/init.sql', text: `{% set r2_secret = '${secret}' %}\nselect 1\n`, expected: [['secret', secret]] };
  },
};

export const PYTHON_POSITIVES: Record<string, CaseTemplate> = {
  'python: boto3 client with keyword arguments': (f, v) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    const q = pickQuote(v);
    return {
      fileName: 'etl/upload.py',
      text: `import boto3\n\ns3 = boto3.client(\n    "s3",\n    aws_access_key_id=${q}${id}${q},\n    aws_secret_access_key=${q}${secret}${q},\n)\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'python: duckdb config dict with legacy settings': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'load.py',
      text: `con = duckdb.connect(config={\n    's3_access_key_id': '${id}',\n    's3_secret_access_key': '${secret}',\n    's3_endpoint': 'acct.r2.cloudflarestorage.com',\n})\n`,
      expected: [['legacy_set', id], ['legacy_set', secret]],
    };
  },
  'python: CREATE SECRET inside con.sql': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'pipeline.py',
      text: `con.sql("""\n    CREATE SECRET r2 (\n        TYPE r2,\n        KEY_ID '${id}',\n        SECRET '${secret}',\n        ACCOUNT_ID '${account}'\n    )\n""")\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'python: os.getenv and os.environ.get defaults': (f, v) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    const call = v % 2 ? 'os.environ.get' : 'os.getenv';
    return {
      fileName: 'settings.py',
      text: `import os\nKEY_ID = ${call}("R2_ACCESS_KEY_ID", "${id}")\nSECRET = ${call}('R2_SECRET_KEY', default='${secret}')\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'python: module constants': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'config.py',
      text: `R2_ACCESS_KEY_ID = "${id}"\nR2_SECRET_KEY: str = "${secret}"\nBUCKET = "lake"\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'python: keys in a docstring and a comment': (f) => {
    const [secret, awsSecret] = [f.r2Secret(), f.awsSecret()];
    return {
      fileName: 'notes.py',
      text: `def connect():\n    """Connect to the lake.\n\n    Example:\n        R2_SECRET_KEY=${secret}\n    """\n    # aws_secret_access_key = "${awsSecret}"\n    return None\n`,
      expected: [['secret', secret], ['secret', awsSecret]],
    };
  },
  'python: MotherDuck token in the connection string and a variable': (f, v) => {
    const token = f.motherDuckToken();
    const text = v % 2 ? `con = duckdb.connect("md:my_db?motherduck_token=${token}")\n` : `motherduck_token = "${token}"\ncon = duckdb.connect("md:")\n`;
    return { fileName: 'md.py', text, expected: [[v % 2 ? 'password' : 'motherduck_token', token]] };
  },
  'python: SQLAlchemy URL with a password': (f) => {
    const password = f.password();
    return {
      fileName: 'db.py',
      text: `engine = create_engine("postgresql+psycopg2://etl:${password}@db.internal:5432/dw")\n`,
      expected: [['password', password]],
    };
  },
  'python: Spark s3a settings': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'spark_job.py',
      text: `spark.conf.set("fs.s3a.access.key", "${id}")\nspark.conf.set("fs.s3a.secret.key", "${secret}")\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'python: os.environ assignment': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'bootstrap.py', text: `import os\nos.environ["R2_SECRET_KEY"] = "${secret}"\n`, expected: [['secret', secret]] };
  },
  'python: Airflow connection extras': (f) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    return {
      fileName: 'dags/conn.py',
      text: `extra = json.dumps({"aws_access_key_id": "${id}", "aws_secret_access_key": "${secret}"})\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'python: libpq connection string': (f) => {
    const password = f.password();
    return {
      fileName: 'pg.py',
      text: `conn = psycopg2.connect("host=db.internal dbname=dw user=etl password=${password} sslmode=require")\n`,
      expected: [['password', password]],
    };
  },
};
