import { handlers } from "@/lib/auth/auth";

// Auth.js endpoints (session, csrf, callback). Sign-in itself goes through the sign-in server action.
export const { GET, POST } = handlers;
