"use client";

import Link from "next/link";
import { useState, type ComponentProps } from "react";

/**
 * A link that prefetches its page when pointed at or focused, not as soon as it is on screen.
 * The sidebar (its logo and up to twelve links) is on every page: with Next.js's default, each
 * full page load prefetched all of them, two requests a link, each rendering the console's
 * layouts on the server — about 25 requests per page view, whatever the person did next.
 * Hovering or tabbing to a link still gives it a head start before the click (the pattern in
 * Next.js's prefetching guide).
 */
export function IntentLink({ onMouseEnter, onFocus, ...props }: ComponentProps<typeof Link>) {
  const [intent, setIntent] = useState(false);
  return (
    <Link
      {...props}
      prefetch={intent ? null : false}
      onMouseEnter={(event) => {
        setIntent(true);
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        setIntent(true);
        onFocus?.(event);
      }}
    />
  );
}
