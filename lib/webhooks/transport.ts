import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { hostKey, isForbiddenAddress } from "./address";

/**
 * The webhook's HTTP client, with the SSRF guard where it cannot be bypassed: in the DNS lookup
 * of the connection itself. Checking a name at save time, or resolving it before the request,
 * leaves a gap — the name can answer differently when the socket connects (DNS rebinding). Here
 * the address we check is the address the socket is given, so what is checked is what is
 * connected. (node:http rather than fetch: fetch's undici dispatcher, where a lookup could be
 * set, is not reachable without adding the undici package.)
 */

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface TargetPolicy {
  /** WEBHOOK_ALLOWED_HOSTS, normalised (hostKey): these may be internal and use plain http. */
  allowedHosts: readonly string[];
  resolve: Resolver;
}

export type RefusalReason = "address" | "scheme";

/** A delivery (or a URL at save time) the policy does not allow. Its message is all the delivery log shows. */
export class WebhookRefused extends Error {
  override name = "WebhookRefused";
  constructor(readonly reason: RefusalReason) {
    super(reason === "scheme" ? "refused: https required" : "refused: address not allowed");
  }
}

function refuseAddresses(addresses: { address: string }[]): boolean {
  return addresses.length === 0 || addresses.some((a) => isForbiddenAddress(a.address));
}

/**
 * Save-time check, for a clear error on the form. Not the guard itself (the name may point
 * elsewhere later): that is `postWebhook`. A name that does not resolve now is accepted — the
 * delivery log will say ENOTFOUND — since DNS may be set up after the webhook.
 */
export async function checkWebhookUrl(url: string, policy: TargetPolicy): Promise<RefusalReason | null> {
  const u = new URL(url);
  const host = hostKey(u.hostname);
  if (policy.allowedHosts.includes(host)) return null;
  if (isIP(host) && isForbiddenAddress(host)) return "address";
  if (u.protocol !== "https:") return "scheme";
  if (isIP(host)) return null;
  let addresses: { address: string }[];
  try {
    addresses = await policy.resolve(host);
  } catch {
    return null;
  }
  return refuseAddresses(addresses) ? "address" : null;
}

/** POST the body; resolves with the HTTP status. Redirects are not followed: the admin configured this exact URL. */
export function postWebhook(
  url: string,
  message: { body: string; headers: Record<string, string>; timeoutMs: number },
  policy: TargetPolicy,
): Promise<number> {
  const u = new URL(url);
  const host = hostKey(u.hostname);
  const allowed = policy.allowedHosts.includes(host);
  // An IP literal (127.1, 2130706433, 0x7f000001 and [::1] all arrive here normalised by URL)
  // is connected to without a lookup, so it is checked here.
  if (!allowed && isIP(host) && isForbiddenAddress(host)) return Promise.reject(new WebhookRefused("address"));
  if (!allowed && u.protocol !== "https:") return Promise.reject(new WebhookRefused("scheme"));

  const lookup = ((hostname: string, options: { all?: boolean; family?: number | string }, callback: (...args: unknown[]) => void) => {
    policy
      .resolve(hostname)
      .then((all) => {
        if (!allowed && refuseAddresses(all)) throw new WebhookRefused("address");
        const wanted = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
        const usable = wanted ? all.filter((a) => a.family === wanted) : all;
        if (usable.length === 0) throw Object.assign(new Error("no address"), { code: "ENOTFOUND" });
        if (options.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, usable[0]!.address, usable[0]!.family);
      })
      .catch((error: unknown) => callback(error));
  }) as unknown as LookupFunction;

  return new Promise<number>((resolve, reject) => {
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      u,
      {
        method: "POST",
        headers: { ...message.headers, "content-length": String(Buffer.byteLength(message.body)) },
        lookup,
        // A fresh connection per delivery: a pooled socket would skip the lookup (and its check).
        agent: false,
        signal: AbortSignal.timeout(message.timeoutMs),
      },
      (res) => {
        // Only the status matters; never read (or log) what the receiver sent.
        res.destroy();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(message.body);
  });
}
