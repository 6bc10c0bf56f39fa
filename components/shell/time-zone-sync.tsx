"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { changeGuestTimeZone, changeTimeZone } from "@/lib/time/actions";

/**
 * Tells the server the browser's time zone when it differs from the one the page was rendered
 * in, then re-renders: the first visit (or a trip abroad) costs one refresh, every later page is
 * right from the server. Signed out (the sign-in page), only the cookie is set.
 */
export function TimeZoneSync({ signedIn }: { signedIn: boolean }) {
  const current = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!detected || detected === current) return;
    let cancelled = false;
    void (async () => {
      const ok = signedIn ? (await changeTimeZone({ timeZone: detected })).ok : (await changeGuestTimeZone({ timeZone: detected })).ok;
      if (ok && !cancelled) router.refresh();
    })();
    return () => {
      cancelled = true;
    };
  }, [current, signedIn, router]);
  return null;
}
