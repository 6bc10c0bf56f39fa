import type { ReactNode } from "react";
import Link from "next/link";
import { AuthBrand } from "@/components/auth/auth-brand";
import { Alert } from "@/components/ui/alert";

/** The sign-in pages' frame for an outcome that is not a form: a title, a message, a way back. */
export async function AuthNotice({ title, tone = "error", children, back }: { title: string; tone?: "error" | "info"; children: ReactNode; back: string }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <AuthBrand />
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-xl font-semibold">{title}</h1>
          <Alert label={title} tone={tone}>
            {children}
          </Alert>
          <p className="mt-6">
            <Link href="/signin" className="text-sm font-medium text-brand-700 underline">
              {back}
            </Link>
          </p>
        </div>
      </div>
    </main>
  );
}
