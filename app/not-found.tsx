import Link from "next/link";
import { getTranslations } from "next-intl/server";

// A <div>, not <main>: inside the console this renders within the shell's own <main>.
export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center text-center">
      <h1 className="text-2xl font-semibold">{t("pageNotFound")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("pageNotFoundHint")}</p>
      <Link href="/" className="mt-4 text-sm font-medium text-brand-700 hover:underline">
        {t("goHome")}
      </Link>
    </div>
  );
}
