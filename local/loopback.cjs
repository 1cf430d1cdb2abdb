// Whom the local platform's servers answer. They run on a developer's machine with fixed
// development tokens and citizens' data, so each answers only requests addressed to this
// machine's loopback names: a page elsewhere cannot point its own name at 127.0.0.1 and read
// them (DNS rebinding). The stand-ins only the AWS SDK and CLI talk to (Step Functions, SNS,
// DynamoDB) also refuse anything a web page sent. Plain CommonJS, so the local DynamoDB's own
// process (local/dynalite-server.cjs) uses it as the platform's servers do.
'use strict';

/**
 * The status for a request addressed to a name the server does not answer to: 421 Misdirected
 * Request, "not able to produce a response for this authority" (docs/decisions.md says why not 403).
 */
const MISDIRECTED = 421;

/**
 * The host a request is addressed to: lower case, IP addresses in their one canonical form
 * (127.1 is 127.0.0.1, [0:0::1] is [::1]), without the port or a final dot; undefined when it
 * names none that can be read. From the Host header, or from the request line when that is a
 * whole URL (as sent to a proxy).
 */
function addressedTo(req) {
  const target = typeof req.url === 'string' ? req.url : '';
  let authority = req.headers.host;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      authority = new URL(target).host;
    } catch {
      return undefined;
    }
  }
  return hostName(authority);
}

/** A host (with or without a port) as `addressedTo` gives it; undefined when it is not one. */
function hostName(authority) {
  // a name or an address and a port, nothing else: no user, path, query or fragment to fool the parser
  if (typeof authority !== 'string' || !/^[A-Za-z0-9._~\-[\]:]+$/.test(authority)) return undefined;
  try {
    const url = new URL(`http://${authority}`);
    return url.hostname.replace(/\.$/, '') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `host` (as `addressedTo` gives it) names this machine's loopback: localhost and the
 * names under it (RFC 6761: they are loopback, browsers resolve them without asking DNS, so no
 * one's DNS can point one elsewhere), 127.0.0.1 and [::1]; or is one of `also`.
 */
function answersTo(host, also = []) {
  if (!host) return false;
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]' || also.some((name) => hostName(name) === host);
}

/** What `Sec-Fetch-Site` says (lower case, as browsers send it; the header's values are case-insensitive), or '' when not sent. */
function fetchSite(req) {
  const value = req.headers['sec-fetch-site'];
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * Whether a browser sent the request from a page of another site: it says so in Sec-Fetch-Site,
 * or its Origin is not this server (under a name it answers to, on its port). `Origin: null` tells
 * nothing: browsers send it for their own forms from pages with `Referrer-Policy: no-referrer`,
 * as the platform's pages are.
 */
function fromAnotherSite(req, also = []) {
  const site = fetchSite(req);
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin.trim().toLowerCase() === 'null') return false;
  let url;
  try {
    url = new URL(origin.trim());
  } catch {
    return true;
  }
  return url.protocol !== 'http:' || !answersTo(hostName(url.host), also) || Number(url.port || 80) !== req.socket.localPort;
}

/** Whether a web page sent it: browsers name the page's origin, or say where the request came from; the AWS SDK and CLI do neither. */
function sentByWebPage(req) {
  const site = fetchSite(req);
  return req.headers.origin !== undefined || (site !== '' && site !== 'none');
}

/** The platform's JSON error, `{error: {code, message}}`, and the connection closed (the body, if any, is not read). */
function refuse(res, status, code, message) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'close' });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** The address a refusal offers instead, with the server's port: the one it was told to listen on, if any. */
function instead(req, also) {
  const port = req.socket.localPort;
  return also.length ? `http://${also[0]}:${port}` : `http://localhost:${port} or http://127.0.0.1:${port}`;
}

/**
 * `listener`, answering only requests addressed to a loopback name (or one of `alsoAnswersTo`):
 * any other gets a 421 before `listener` runs. With `sdkOnly`, a request a web page sent gets a 403.
 */
function guarded(listener, options = {}) {
  const also = options.alsoAnswersTo || [];
  return function answer(req, res) {
    if (!answersTo(addressedTo(req), also)) {
      req.resume();
      return refuse(
        res,
        MISDIRECTED,
        'misdirected-request',
        `This local server answers only to this machine's own names: localhost (or a name under it), 127.0.0.1 and [::1]${also.length ? `, and ${also.join(', ')}` : ''}, with or without the port. Use ${instead(req, also)}.`,
      );
    }
    if (options.sdkOnly && sentByWebPage(req)) {
      req.resume();
      return refuse(res, 403, 'web-page-refused', 'This is a local stand-in for an AWS service: the AWS SDK and CLI talk to it, never a web page.');
    }
    return listener.call(this, req, res);
  };
}

module.exports = { MISDIRECTED, addressedTo, hostName, answersTo, fromAnotherSite, sentByWebPage, refuse, guarded };
