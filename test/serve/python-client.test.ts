import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { FakeModel, ROWS, expectedLabels } from './fake-model.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

async function pythonHas(mods: string[]): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  try {
    await run(PYTHON, ['-c', `import ${mods.join(', ')}`], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const available = await pythonHas(['pandas', 'requests']);
if (!available) console.warn(`skipping the MLflow client tests: ${PYTHON} with pandas and requests is not available`);

describe.skipIf(!available)('the MLflow tutorial client (python requests + pandas)', () => {
  let srv: RunningServer;
  beforeAll(async () => { srv = await startServer({ model: new FakeModel(), port: 0 }); });
  afterAll(async () => { await srv?.close(); });

  async function py(script: string): Promise<any> {
    const { stdout } = await run(PYTHON, ['-c', script, srv.url], { timeout: 60_000 });
    return JSON.parse(stdout);
  }

  it("posts test.to_json(orient='split') and reads the predictions", async () => {
    const out = await py(`
import json, sys, requests, pandas as pd
rows = json.loads(${JSON.stringify(JSON.stringify(ROWS))})
test = pd.DataFrame(rows)
url = sys.argv[1] + '/invocations'
r = requests.post(url, headers={'Content-Type': 'application/json'}, data=test.to_json(orient='split'))
print(json.dumps({'status': r.status_code, 'body': r.json()}))
`);
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ predictions: expectedLabels(ROWS) });
  });

  it("posts {'dataframe_split': test.to_dict(orient='split')} as MLflow 2 documents it", async () => {
    const out = await py(`
import json, sys, requests, pandas as pd
rows = json.loads(${JSON.stringify(JSON.stringify(ROWS))})
test = pd.DataFrame(rows)
url = sys.argv[1] + '/invocations'
payload = json.dumps({'dataframe_split': json.loads(test.to_json(orient='split'))})
r = requests.post(url, headers={'Content-Type': 'application/json'}, data=payload)
r2 = requests.post(url, json={'dataframe_records': test.to_dict(orient='records')})
r3 = requests.post(url, headers={'Content-Type': 'text/csv'}, data=test.to_csv())
print(json.dumps({'status': [r.status_code, r2.status_code, r3.status_code], 'body': [r.json(), r2.json(), r3.json()]}))
`);
    expect(out.status).toEqual([200, 200, 200]);
    for (const b of out.body) expect(b).toEqual({ predictions: expectedLabels(ROWS) });
  });

  it('missing values written by pandas (NaN) reach the model as missing', async () => {
    const out = await py(`
import json, sys, requests, pandas as pd, numpy as np
test = pd.DataFrame({'age': [np.nan], 'sex': ['male'], 'cp': [1]})
payload = json.dumps({'dataframe_split': test.to_dict(orient='split')})
r = requests.post(sys.argv[1] + '/invocations', headers={'Content-Type': 'application/json'}, data=payload)
print(json.dumps({'status': r.status_code, 'body': r.json()}))
`);
    expect(out.status).toBe(400);
    expect(out.body.message).toContain('NaN (a missing value) in column "age"');
  });
});
