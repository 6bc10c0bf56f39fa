import { KeyRound } from "lucide-react";
import { getTranslations } from "next-intl/server";

/** The logo and name above the sign-in pages' card. */
export async function AuthBrand() {
  const t = await getTranslations("common");
  return (
    <div className="mb-8 flex items-center gap-3">
      <span className="flex h-10 w-10 items-center justify-center rounded-lg bg-brand-600 text-white">
        <KeyRound aria-hidden className="h-5 w-5" />
      </span>
      <span className="text-lg font-semibold">{t("appName")}</span>
    </div>
  );
}
