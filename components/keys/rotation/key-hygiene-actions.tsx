"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Pencil, RefreshCcw } from "lucide-react";
import type { KeyHygiene } from "@/lib/keys/hygiene-loader";
import { Button } from "@/components/ui/button";
import { EditKeyDialog } from "../edit-key-dialog";
import { RotateKeyDialog } from "./rotate-key-dialog";

/** The key page's "Edit…" and "Rotate…" buttons (issue 16), offered as the loader decided. */
export function KeyHygieneActions({ keyId, name, hygiene }: { keyId: string; name: string; hygiene: KeyHygiene }) {
  const te = useTranslations("keyEdit");
  const tr = useTranslations("rotation");
  const [open, setOpen] = useState<"edit" | "rotate" | null>(null);
  const { edit, rotation } = hygiene;
  const close = (o: boolean) => {
    if (!o) setOpen(null);
  };
  return (
    <>
      {edit ? (
        <Button variant="secondary" onClick={() => setOpen("edit")}>
          <Pencil aria-hidden className="h-4 w-4" />
          {te("open")}
        </Button>
      ) : null}
      {rotation.canRotate && !rotation.view ? (
        <Button variant="secondary" onClick={() => setOpen("rotate")}>
          <RefreshCcw aria-hidden className="h-4 w-4" />
          {tr("open")}
        </Button>
      ) : null}
      {open === "edit" && edit ? <EditKeyDialog keyId={keyId} values={edit.values} owners={edit.owners} models={edit.models} onOpenChange={close} /> : null}
      {open === "rotate" ? <RotateKeyDialog keyId={keyId} name={name} ownerName={rotation.ownerName} canRevealToSelf={rotation.canRevealToSelf} onOpenChange={close} /> : null}
    </>
  );
}
