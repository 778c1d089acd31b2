/**
 * Labelled cases for the detector, part 3: Markdown (fences and inline code), notebooks (.ipynb
 * JSON), other text files (INI, HCL, JSON, TypeScript) and values found by their shape alone.
 */
import type { CaseTemplate } from './labelledCase';

/** A notebook's JSON, as Jupyter writes it: each cell's source is a list of lines. */
export function notebook(cells: readonly { type: 'code' | 'markdown'; source: string; output?: string }[]): string {
  const json = {
    cells: cells.map((cell, i) => ({
      cell_type: cell.type,
      ...(cell.type === 'code' ? { execution_count: i + 1 } : {}),
      id: `cell-${i}`,
      metadata: {},
      ...(cell.type === 'code' ? { outputs: cell.output ? [{ name: 'stdout', output_type: 'stream', text: cell.output.split(/(?<=\n)/) }] : [] } : {}),
      source: cell.source.split(/(?<=\n)/),
    })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(json, null, 1) + '\n';
}

export const DOC_POSITIVES: Record<string, CaseTemplate> = {
  'markdown: fenced SQL': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'README.md',
      text: `# Lake\n\nCreate the secret:\n\n\`\`\`sql\nCREATE SECRET r2 (\n  TYPE r2,\n  KEY_ID '${id}',\n  SECRET '${secret}',\n  ACCOUNT_ID '${account}'\n);\n\`\`\`\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'markdown: inline code in prose': (f) => {
    const id = f.r2KeyId();
    return { fileName: 'docs/setup.md', text: `Run \`SET s3_access_key_id = '${id}'\` first, then query.\n`, expected: [['legacy_set', id]] };
  },
  'markdown: fenced shell export': (f) => {
    const secret = f.r2Secret();
    return { fileName: 'docs/env.md', text: `Set the key:\n\n~~~bash\nexport R2_SECRET_KEY=${secret}\n~~~\n`, expected: [['secret', secret]] };
  },
  'markdown: fenced YAML profile': (f) => {
    const secret = f.r2Secret();
    return {
      fileName: 'docs/dbt.md',
      text: `\`\`\`yaml\n      settings:\n        s3_secret_access_key: ${secret}\n\`\`\`\n`,
      expected: [['legacy_set', secret]],
    };
  },
  'markdown: env line in prose': (f) => {
    const id = f.awsKeyId();
    return { fileName: 'NOTES.md', text: `Use \`AWS_ACCESS_KEY_ID=${id}\` for the staging bucket.\n`, expected: [['key_id', id]] };
  },
  'markdown: fenced Python': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'docs/python.md',
      text: `\`\`\`python\ns3 = boto3.resource("s3", endpoint_url=url, aws_access_key_id="${id}", aws_secret_access_key="${secret}")\n\`\`\`\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'notebook: CREATE SECRET in a Python cell': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'explore.ipynb',
      text: notebook([
        { type: 'markdown', source: '# Explore the lake\n' },
        { type: 'code', source: `import duckdb\ncon = duckdb.connect()\ncon.sql("CREATE SECRET (TYPE r2, KEY_ID '${id}', SECRET '${secret}', ACCOUNT_ID '${account}')")\n` },
      ]),
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'notebook: %%sql cell with legacy settings': (f) => {
    const secret = f.r2Secret();
    return {
      fileName: 'sql.ipynb',
      text: notebook([{ type: 'code', source: `%%sql\nSET s3_secret_access_key='${secret}';\nFROM 'r2://lake/orders.parquet';\n` }]),
      expected: [['legacy_set', secret]],
    };
  },
  'notebook: os.environ assignment': (f) => {
    const secret = f.awsSecret();
    return {
      fileName: 'aws.ipynb',
      text: notebook([{ type: 'code', source: `import os\nos.environ["AWS_SECRET_ACCESS_KEY"] = "${secret}"\n` }]),
      expected: [['secret', secret]],
    };
  },
  'notebook: key id in a Markdown cell': (f) => {
    const id = f.awsKeyId();
    return {
      fileName: 'notes.ipynb',
      text: notebook([{ type: 'markdown', source: `The staging key is ${id}, ask for the secret.\n` }]),
      expected: [['key_id', id]],
    };
  },
  'notebook: token printed in an output': (f) => {
    const token = f.motherDuckToken();
    return {
      fileName: 'md.ipynb',
      text: notebook([{ type: 'code', source: 'print(os.environ)\n', output: `{'MOTHERDUCK_TOKEN': '${token}'}\n` }]),
      expected: [['motherduck_token', token]],
    };
  },
  'text: AWS credentials file': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: '.aws/credentials',
      text: `[r2]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'text: Terraform provider': (f) => {
    const [id, secret] = [f.awsKeyId(), f.awsSecret()];
    return {
      fileName: 'main.tf',
      text: `provider "aws" {\n  region     = "us-east-1"\n  access_key = "${id}"\n  secret_key = "${secret}"\n}\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'text: rclone config': (f) => {
    const [id, secret, account] = [f.r2KeyId(), f.r2Secret(), f.accountId()];
    return {
      fileName: 'rclone.conf',
      text: `[r2]\ntype = s3\nprovider = Cloudflare\naccess_key_id = ${id}\nsecret_access_key = ${secret}\nendpoint = https://${account}.r2.cloudflarestorage.com\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'text: JSON config': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'config.json',
      text: `{\n  "bucket": "lake",\n  "accessKeyId": "${id}",\n  "secretAccessKey": "${secret}"\n}\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'text: TypeScript S3 client': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return {
      fileName: 'src/lake.ts',
      text: `const s3 = new S3Client({\n  region: 'auto',\n  credentials: { accessKeyId: '${id}', secretAccessKey: '${secret}' },\n});\n`,
      expected: [['key_id', id], ['secret', secret]],
    };
  },
  'text: console labels copied into notes': (f, v) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    const text = v % 2 ? `Access Key ID: ${id}\nSecret Access Key: ${secret}\n` : `R2 token for the lake\nAccess Key ID\n${id}\nSecret Access Key\n${secret}\n`;
    return { fileName: 'notes.txt', text, expected: [['key_id', id], ['secret', secret]] };
  },
  'markdown: table of credentials': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return { fileName: 'docs/keys.md', text: `| field | value |\n|---|---|\n| KEY_ID | \`${id}\` |\n| secret | ${secret} |\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'sql: provider-named key in a comment': (f) => {
    const [id, secret] = [f.r2KeyId(), f.r2Secret()];
    return { fileName: 'notes.sql', text: `-- r2 key: ${id}\n-- secret ${secret}\nSELECT 1;\n`, expected: [['key_id', id], ['secret', secret]] };
  },
  'shape: AKIA id in a log excerpt': (f) => {
    const id = f.awsKeyId();
    return { fileName: 'docs/incident.md', text: `The request was signed with ${id} at 10:02.\n`, expected: [['key_id', id]] };
  },
  'shape: GCS HMAC id in a YAML comment': (f) => {
    const id = f.gcsHmacId();
    return { fileName: 'models/sources.yml', text: `sources:\n  - name: raw # hmac ${id}\n`, expected: [['key_id', id]] };
  },
  'shape: STS token in a shell comment': (f) => {
    const token = f.awsSessionToken();
    return { fileName: 'debug.sh', text: `# token was ${token}\naws s3 ls\n`, expected: [['session_token', token]] };
  },
  'shape: MotherDuck JWT without a key name': (f) => {
    const token = f.motherDuckToken();
    return { fileName: 'connect.py', text: `# paste: ${token}\ncon = duckdb.connect("md:")\n`, expected: [['motherduck_token', token]] };
  },
};
