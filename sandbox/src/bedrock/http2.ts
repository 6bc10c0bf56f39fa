/**
 * HTTP/2 with prior knowledge (h2c) on the sandbox's HTTP/1.1 port.
 *
 * `@aws-sdk/client-bedrock-runtime` sends every call over HTTP/2 by default (its request handler
 * is NodeHttp2Handler, for the bidirectional-stream operation), and with an `http://` endpoint
 * that means cleartext HTTP/2 from the first byte. AWS's endpoints speak both, so the sandbox
 * must too, or that client fails with "Protocol error" while botocore, curl and the IAM/STS
 * clients (HTTP/1.1) work.
 *
 * Each new connection is sniffed: one that opens with the HTTP/2 connection preface goes to a
 * node:http2 server whose requests are handed to the same 'request' listener as HTTP/1.1 (the
 * compatibility API gives it the same req/res surface); anything else goes to the HTTP/1.1
 * server's own connection handling, untouched.
 */
import type http from "node:http";
import http2 from "node:http2";
import type net from "node:net";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface Http2Acceptor {
  /** Ends open HTTP/2 sessions (HTTP/1.1 connections are the server's own to close). */
  close(): void;
}

export function acceptHttp2PriorKnowledge(server: http.Server): Http2Acceptor {
  const sessions = new Set<http2.ServerHttp2Session>();
  // Connections that have not yet sent four bytes belong to neither server; close() ends them.
  const undecided = new Set<net.Socket>();
  const h2 = http2.createServer({}, (req, res) => {
    // HTTP/2 carries the host in :authority; handlers written for HTTP/1.1 read `host`.
    if (req.headers.host === undefined && typeof req.headers[":authority"] === "string") {
      req.headers.host = req.headers[":authority"];
    }
    server.emit("request", req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
  });
  h2.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  const http1Listeners = server.listeners("connection") as ((socket: net.Socket) => void)[];
  server.removeAllListeners("connection");
  server.on("connection", (socket: net.Socket) => {
    // "PRI " (the preface's start) is no HTTP/1.1 method, so four bytes decide; they usually
    // arrive in the first packet, but a client may trickle them.
    let head = Buffer.alloc(0);
    undecided.add(socket);
    socket.once("close", () => undecided.delete(socket));
    // Until a server owns the socket nobody else listens for its errors (a reset would crash).
    const onError = () => socket.destroy();
    socket.on("error", onError);
    const sniff = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) return;
      undecided.delete(socket);
      socket.removeListener("data", sniff);
      socket.removeListener("error", onError);
      socket.pause();
      socket.unshift(head);
      const n = Math.min(head.length, PREFACE.length);
      if (head.subarray(0, n).equals(PREFACE.subarray(0, n))) h2.emit("connection", socket);
      else for (const listener of http1Listeners) listener.call(server, socket);
      process.nextTick(() => socket.resume());
    };
    socket.on("data", sniff);
  });
  return {
    close() {
      for (const s of sessions) s.destroy();
      sessions.clear();
      for (const socket of undecided) socket.destroy();
      undecided.clear();
    },
  };
}
