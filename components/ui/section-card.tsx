import type { ReactNode } from "react";
import { Card } from "./card";

/** A titled section of a settings-like page: a card with a heading, an intro line and its content. */
export function SectionCard({ id, title, intro, children }: { id: string; title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <Card className="p-6">
        <h2 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {intro ? <p className="mb-5 mt-1 text-sm text-slate-600">{intro}</p> : null}
        {children}
      </Card>
    </section>
  );
}
