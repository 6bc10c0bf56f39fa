/**
 * Sandbox trail benchmark: how fast the sandbox synthesises an organisation trail in S3, what it
 * holds in memory, and how fast the real S3 SDK lists and downloads its files.
 *
 *   npx tsx bench/sandbox-trail.ts [--events 1000000] [--accounts 10] [--days 400]
 *       [--batch-minutes 5] [--gzip-level 6] [--s3-dir /tmp/trail-s3] [--downloads 500]
 *
 * Runs the sandbox in this process (port chosen freely), creates trail `bench` into bucket
 * `bench-trail` (org `o-benchmark01`), calls POST /_sandbox/trails/bench/synthesize, then lists
 * one account's prefix with ListObjectsV2 and GETs `--downloads` files. Talks only to 127.0.0.1.
 */
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { createSandbox } from "../sandbox/src/server.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const dirArg = process.argv.indexOf("--s3-dir");
const s3Dir = dirArg >= 0 ? process.argv[dirArg + 1] : undefined;

const sb = await createSandbox({ port: 0, trailDelaySeconds: 0, ...(s3Dir ? { s3Dir } : {}) });
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${sb.url}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
};
const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
try {
  await post("trails", { name: "bench", bucket: "bench-trail", orgId: "o-benchmark01" });
  await post("trails/bench/synthesize", {
    events: arg("events", 1_000_000),
    accounts: arg("accounts", 10),
    days: arg("days", 400),
    batchMinutes: arg("batch-minutes", 5),
    gzipLevel: arg("gzip-level", 6),
    wait: false,
  });
  // Poll: a big trail takes longer than an HTTP client waits for response headers.
  let job: { state: string; result?: Record<string, unknown>; message?: string; events: number };
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    job = (await (await fetch(`${sb.url}/_sandbox/trails/bench/synthesize`)).json()) as typeof job;
    if (job.state !== "running") break;
    process.stderr.write(`\r${job.events} events…`);
  }
  process.stderr.write("\n");
  if (job.state !== "done") throw new Error(`synthesis ${job.state}: ${job.message}`);
  const out = job.result!;
  const m = process.memoryUsage();
  const seconds = out.seconds as number;
  console.log(
    `synthesised ${out.events} events into ${out.files} log files + ${out.digests} digests (${mb(out.bytes as number)} gzip) in ${seconds.toFixed(1)} s ` +
      `(${Math.round((out.events as number) / seconds)} events/s); RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)}, buffers ${mb(m.arrayBuffers)}`,
  );

  const s3 = new S3Client({ endpoint: sb.url, region: "us-east-1", credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, forcePathStyle: true });
  const account = (out.accounts as string[])[0]!;
  let t = performance.now();
  const keys: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: "bench-trail", Prefix: `AWSLogs/o-benchmark01/${account}/CloudTrail/`, ContinuationToken: token }));
    pages++;
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const listMs = performance.now() - t;
  console.log(`listed ${keys.length} keys of one account in ${pages} pages: ${Math.round(listMs)} ms (${Math.round(pages / (listMs / 1000))} pages/s)`);
  const n = Math.min(arg("downloads", 500), keys.length);
  t = performance.now();
  let records = 0;
  for (let i = 0; i < n; i++) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: "bench-trail", Key: keys[i]! }));
    records += (JSON.parse(gunzipSync(await obj.Body!.transformToByteArray()).toString("utf8")) as { Records: unknown[] }).Records.length;
  }
  const getMs = performance.now() - t;
  console.log(`downloaded and parsed ${n} files (${records} records) in ${Math.round(getMs)} ms (${Math.round(n / (getMs / 1000))} GET/s, ${Math.round(records / (getMs / 1000))} records/s, one client, sequential)`);
} finally {
  await sb.close();
}
