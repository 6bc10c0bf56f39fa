import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { handleAuthRequest } from "@/lib/sso/route";

export const GET = (req: NextRequest) => handleAuthRequest(req, handlers.GET);
export const POST = (req: NextRequest) => handleAuthRequest(req, handlers.POST);
