import Link from "next/link";
import type { SubjectInfo } from "@/lib/usage/directory";

/** A key (linked to its page), a person (name and email), or an unattributed AWS principal. */
export function Who({ who, compact = false }: { who: SubjectInfo; compact?: boolean }) {
  if (who.kind === "other") return <span className="font-mono text-xs [overflow-wrap:anywhere]">{who.label}</span>;
  const name = who.keyId ? (
    <Link href={`/keys/${who.keyId}`} title={who.detail} className="font-medium text-brand-700 hover:underline">
      {who.label}
    </Link>
  ) : (
    <span className="font-medium" title={who.detail}>
      {who.label}
    </span>
  );
  return (
    <span className="[overflow-wrap:anywhere]">
      {name}
      {compact ? null : <span className="block text-xs text-slate-500">{who.detail}</span>}
    </span>
  );
}
