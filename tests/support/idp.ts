import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "./pg-cluster.mjs";

export interface TestIdp {
  /** The issuer URL (discovery, token, JWKS). */
  issuer: string;
  /** Where its sign-in pages are, when started with a login port of their own. */
  loginOrigin: string | null;
  stop(): Promise<void>;
}

/**
 * The project's OpenID provider (idp/main.mjs, the certified oidc-provider package) as its own
 * process on free ports, for integration tests of the console's side of SSO. `loginPort` gives
 * its sign-in pages a port of their own, named in discovery, as AWS Cognito's hosted sign-in is on
 * another host than its issuer.
 */
export async function startTestIdp(options: { loginPort?: boolean; port?: number } = {}): Promise<TestIdp> {
  const port = options.port ?? (await freePort());
  const loginPort = options.loginPort ? await freePort() : null;
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, "..", "..", "idp", "main.mjs")], {
    env: { ...process.env, IDP_PORT: String(port), IDP_HOST: "127.0.0.1", ...(loginPort ? { IDP_LOGIN_PORT: String(loginPort) } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const expected = loginPort ? 2 : 1;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if ((output.match(/listening on/g) ?? []).length >= expected) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the test IdP exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`the test IdP did not listen within 15 s:\n${output}`)), 15_000).unref();
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    loginOrigin: loginPort ? `http://127.0.0.1:${loginPort}` : null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
