// vitest runs outside React's "react-server" condition, where the real `server-only`
// package throws on import. Tests alias it to this empty module (see vitest.config.ts).
export {};
