import type { ReactNode } from "react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getTimeFormat } from "@/lib/time/server";
import { Time } from "@/components/ui/time";
import { CheckCircle2, Clock, Hourglass, KeyRound, Moon } from "lucide-react";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { needsAttention } from "@/lib/requests/attention";
import { Card } from "@/components/ui/card";

const linkClass = "text-sm font-medium text-brand-700 hover:underline";

/** The home page's "needs attention" card, per role: only what this person can act on. */
export async function NeedsAttention({ user }: { user: SessionUser }) {
  const now = new Date();
  const data = await needsAttention(db(), user, now);
  const t = await getTranslations("requests.attention");
  const f = await getTimeFormat();
  const when = (iso: string) => f.withZone(iso);
  const sections: ReactNode[] = [];

  if (data.canDecide && data.approvals.count > 0) {
    sections.push(
      <AttentionSection key="approvals" id="attention-approvals" icon={<Hourglass aria-hidden className="h-4 w-4 text-amber-600" />} title={t("approvals", { count: data.approvals.count })} link={{ href: "/requests?tab=approvals", label: t("openApprovals") }}>
        {data.approvals.items.map((r) => (
          <li key={r.id}>
            <Link href={`/requests/${r.id}`} className={linkClass}>
              {r.label}
            </Link>{" "}
            <span className="text-slate-600">{t("approvalLine", { requester: r.requester, team: r.team })}</span>{" "}
            <Time value={r.createdAt} now={now} className="text-xs text-slate-500" />
          </li>
        ))}
      </AttentionSection>,
    );
  }
  if (data.pickups.length > 0) {
    sections.push(
      <AttentionSection key="pickups" id="attention-pickups" icon={<KeyRound aria-hidden className="h-4 w-4 text-brand-600" />} title={t("pickups", { count: data.pickups.length })}>
        {data.pickups.map((r) => (
          <li key={r.id}>
            <Link href={`/requests/${r.id}`} className={linkClass}>
              {r.label}
            </Link>{" "}
            <span className="text-slate-600">{t("pickupBy", { when: when(r.pickupBy) })}</span>
          </li>
        ))}
      </AttentionSection>,
    );
  }
  if (data.expiring.count > 0) {
    sections.push(
      <AttentionSection key="expiring" id="attention-expiring" icon={<Clock aria-hidden className="h-4 w-4 text-red-600" />} title={t("expiring", { count: data.expiring.count })} link={{ href: "/keys?expiringWithinDays=7", label: t("openExpiring") }}>
        {data.expiring.items.map((k) => (
          <li key={k.id}>
            <Link href={`/keys/${k.id}`} className={linkClass}>
              {k.name}
            </Link>{" "}
            <span className="text-slate-600">
              {k.team ? `${k.team} · ` : ""}
              {t("expiresOn", { when: when(k.expiresAt) })}
            </span>
          </li>
        ))}
      </AttentionSection>,
    );
  }
  if (data.unused && data.unused.count > 0) {
    sections.push(
      <AttentionSection
        key="unused"
        id="attention-unused"
        icon={<Moon aria-hidden className="h-4 w-4 text-slate-500" />}
        title={t("unused", { count: data.unused.count, days: data.unused.days })}
        link={{ href: `/keys?unusedForDays=${data.unused.days}&status=Active`, label: t("openUnused") }}
      />,
    );
  }

  return (
    <Card className="p-5 lg:col-span-3" aria-labelledby="attention-title">
      <h2 id="attention-title" className="text-sm font-semibold text-slate-900">
        {t("title")}
      </h2>
      {sections.length === 0 ? (
        <p className="mt-2 flex items-center gap-2 text-sm text-slate-600">
          <CheckCircle2 aria-hidden className="h-4 w-4 text-emerald-600" />
          {t("nothing")}
        </p>
      ) : (
        <div className="mt-3 grid gap-5 md:grid-cols-2">{sections}</div>
      )}
      {data.waiting > 0 ? (
        <p className="mt-4 text-sm text-slate-600">
          {t("waiting", { count: data.waiting })}{" "}
          <Link href="/requests" className={linkClass}>
            {t("openMine")}
          </Link>
        </p>
      ) : null}
    </Card>
  );
}

function AttentionSection({ id, icon, title, link, children }: { id: string; icon: ReactNode; title: string; link?: { href: string; label: string }; children?: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id} className="flex items-center gap-2 text-sm font-semibold text-slate-900">
        {icon}
        {title}
      </h3>
      {children ? <ul className="mt-2 space-y-1 text-sm">{children}</ul> : null}
      {link ? (
        <Link href={link.href} className={`mt-2 inline-block ${linkClass}`}>
          {link.label}
        </Link>
      ) : null}
    </section>
  );
}
