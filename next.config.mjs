import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon: it must be required at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "pino"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository (app, sandbox, scripts) in its own stage;
  // doing it again inside every build only costs time.
  typescript: { ignoreBuildErrors: true },
  // Static security headers; the nonce-based Content-Security-Policy is set per request in proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
