import { createSandbox } from "../server.js";
const sb = await createSandbox({ port: 0, trailDelaySeconds: 0 });
const post = (p: string, b: unknown) => fetch(`${sb.url}/_sandbox/${p}`, { method: "POST", body: JSON.stringify(b) }).then((r) => r.json());
await post("trails", { name: "bench", bucket: "bench-trail", orgId: "o-zz9988776655" });
const r = await post("trails/bench/synthesize", { events: Number(process.argv[2] ?? 50000), accounts: 10, days: Number(process.argv[3] ?? 400) }) as Record<string, unknown>;
delete r.accounts; console.log(r);
const m = process.memoryUsage(); console.log({ rss: m.rss >> 20, heap: m.heapUsed >> 20, ext: m.external >> 20, ab: m.arrayBuffers >> 20 });
await sb.close();
