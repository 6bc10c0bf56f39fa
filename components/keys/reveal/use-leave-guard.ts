"use client";

import { useEffect } from "react";

/**
 * While `active`, warns before the page is left: the browser's own prompt for reloads, closed
 * tabs and typed URLs (beforeunload), and a confirm() for in-app links, which navigate on the
 * client and never fire beforeunload. Used while a one-time secret is on screen, because leaving
 * loses it for good.
 */
export function useLeaveGuard(active: boolean, message: string) {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers only prompt when returnValue is set.
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!(link instanceof HTMLAnchorElement) || link.hasAttribute("download") || link.target === "_blank") return;
      if (window.confirm(message)) return;
      // Captured on the document, before React's root listener: next/link never sees the click.
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [active, message]);
}
