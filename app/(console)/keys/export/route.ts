import { keysCsvResponse } from "@/lib/keys/loaders";

/**
 * GET /keys/export?<inventory filters> → the filtered inventory as CSV. keysCsvResponse checks the
 * session and keys.export itself, applies the viewer's scope and audits the export.
 */
export const GET = (request: Request) => keysCsvResponse(request);
