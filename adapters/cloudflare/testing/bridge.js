// A test-only bridge worker: run under `wrangler dev --local`, it exposes the real local
// D1, R2 and Queue bindings on loopback so the Python tests (CPython) reach them.
//
//   POST /client/v4/accounts/:account/d1/database/:db/query   D1's HTTP query API shape:
//        {"sql", "params"} or {"batch": [{"sql", "params"}]}  -> {"success", "errors", "result"}
//   GET|PUT|DELETE /r2/object/<key>, GET /r2/list?prefix=&cursor=   the R2 binding
//        (PUT with "if-none-match: *" uses onlyIf, a refusal answers 412)
//   POST /queue/send {"body", "delaySeconds"}; GET /queue/received   the Queue binding and
//        what its consumer (below) was handed, each message's id, body and attempts
//
// Every request must carry "authorization: Bearer <BRIDGE_TOKEN>". Never deploy this.

const received = [];
let sent = 0;

function fail(status, message) {
  return Response.json({ success: false, errors: [{ code: 7500, message }], result: [] }, { status });
}

async function d1(request, env) {
  const body = await request.json();
  const one = (s) => {
    const stmt = env.DB.prepare(s.sql);
    return s.params && s.params.length ? stmt.bind(...s.params) : stmt;
  };
  try {
    if (Array.isArray(body.batch)) {
      const results = await env.DB.batch(body.batch.map(one));
      return Response.json({ success: true, errors: [], messages: [], result: results });
    }
    const result = await one(body).all();
    return Response.json({ success: true, errors: [], messages: [], result: [result] });
  } catch (e) {
    const cause = e && e.cause && e.cause.message ? ` (${e.cause.message})` : "";
    return fail(400, String((e && e.message) || e) + cause);
  }
}

async function r2(request, env, path, url) {
  if (path === "/r2/list") {
    const listed = await env.BUCKET.list({
      prefix: url.searchParams.get("prefix") || undefined,
      cursor: url.searchParams.get("cursor") || undefined,
    });
    return Response.json({
      keys: listed.objects.map((o) => o.key),
      cursor: listed.truncated ? listed.cursor : "",
    });
  }
  const key = decodeURIComponent(path.slice("/r2/object/".length));
  if (request.method === "GET") {
    const object = await env.BUCKET.get(key);
    if (object === null) return new Response("no such key", { status: 404 });
    return new Response(object.body, { headers: { etag: object.httpEtag } });
  }
  if (request.method === "PUT") {
    const options = { httpMetadata: { contentType: request.headers.get("content-type") || "" } };
    if (request.headers.get("if-none-match") === "*") {
      options.onlyIf = { etagDoesNotMatch: "*" };
    }
    const put = await env.BUCKET.put(key, await request.arrayBuffer(), options);
    if (put === null) return new Response("precondition failed", { status: 412 });
    return new Response(null, { status: 204, headers: { etag: put.httpEtag } });
  }
  if (request.method === "DELETE") {
    await env.BUCKET.delete(key);
    return new Response(null, { status: 204 });
  }
  return new Response("method not allowed", { status: 405 });
}

async function queue(request, env, path) {
  if (path === "/queue/send" && request.method === "POST") {
    const { body, delaySeconds } = await request.json();
    await env.QUEUE.send(body, { contentType: "text", delaySeconds: delaySeconds || 0 });
    sent += 1;
    return Response.json({ sent });
  }
  if (path === "/queue/received") {
    const handed = received.splice(0, received.length);
    return Response.json({ sent, messages: handed });
  }
  return new Response("not found", { status: 404 });
}

export default {
  async fetch(request, env) {
    if (request.headers.get("authorization") !== `Bearer ${env.BRIDGE_TOKEN}`) {
      return fail(401, "bad bridge token");
    }
    const url = new URL(request.url);
    const path = url.pathname;
    if (/^\/client\/v4\/accounts\/[^/]+\/d1\/database\/[^/]+\/query$/.test(path)) {
      return d1(request, env);
    }
    if (path.startsWith("/r2/")) return r2(request, env, path, url);
    if (path.startsWith("/queue/")) return queue(request, env, path);
    return new Response("not found", { status: 404 });
  },

  async queue(batch, env) {
    for (const message of batch.messages) {
      received.push({
        id: message.id,
        body: message.body,
        attempts: message.attempts,
        timestamp: message.timestamp.toISOString(),
      });
      message.ack();
    }
  },
};
