// gilt's built-in server, checked by an implementation no one here wrote: the reference
// Engine.IO v3 / Socket.IO v2 client (npm socket.io-client@2.5.0).
//
// Usage: node client.js API_URL GATEWAY_URL EMAIL PASSWORD CHANNEL_ID
// Prints one line per step (STEP key=value…) and OK at the end; exits 1 with FAIL on error.
'use strict';

const io = require('socket.io-client');
const crypto = require('crypto');

const [api, gateway, email, password, channelId] = process.argv.slice(2);
const TIMEOUT_MS = 15000;

function log(step, fields) {
  console.log(step + ' ' + JSON.stringify(fields || {}));
}

function fail(why) {
  console.log('FAIL ' + why);
  process.exit(1);
}

setTimeout(() => fail('timed out'), TIMEOUT_MS).unref();

function cookieValue(setCookies, name) {
  for (const c of setCookies) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1);
  }
  return null;
}

async function main() {
  // 1. Log in over REST with node's own fetch.
  const res = await fetch(api + '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, getMe: true }),
  });
  if (res.status !== 200) fail('login status ' + res.status);
  const me = await res.json();
  const setCookies = res.headers.getSetCookie();
  if (!setCookies[0] || !setCookies[0].startsWith('hmac_signed_session=')) {
    fail('first Set-Cookie is not hmac_signed_session: ' + setCookies[0]);
  }
  const session = cookieValue(setCookies, 'hmac_signed_session');
  const mid = cookieValue(setCookies, 'guilded_mid');
  if (!/^[0-9a-f]{32}$/.test(mid || '')) fail('guilded_mid is not 32 lowercase hex: ' + mid);
  log('LOGIN', { userId: me.user.id, teams: me.teams.length });

  // 2. Connect to the gateway with the Guilded query (EIO=3 is this client's default).
  const socket = io(gateway, {
    path: '/socket.io',
    transports: ['websocket'],
    query: { jwt: 'undefined', guildedClientId: mid },
    extraHeaders: { Cookie: 'hmac_signed_session=' + session },
    reconnection: false,
    forceNew: true,
  });

  let pongs = 0;
  let sentMessageId = null;
  let sendDone = null;
  socket.on('connect_error', (e) => fail('connect_error ' + e));
  socket.on('error', (e) => fail('error ' + e));
  socket.on('disconnect', (why) => {
    if (!done) fail('disconnected: ' + why);
  });
  let done = false;

  socket.on('connect', () => {
    // 'connect' fires on the server's `40`, after the engine's handshake (`0{…}`).
    const engine = socket.io.engine;
    log('CONNECT', {
      sid: engine.id,
      pingInterval: engine.pingInterval,
      pingTimeout: engine.pingTimeout,
      upgrades: engine.upgrades,
      transport: engine.transport.name,
    });
  });

  // socket.io-client 2.x sends `2` every pingInterval and emits 'pong' on each `3`.
  socket.on('pong', (latency) => {
    pongs += 1;
    log('PONG', { n: pongs, latency });
    if (pongs === 2) afterPongs().catch((e) => fail(String(e)));
  });

  async function afterPongs() {
    socket.emit('ChatChannelTyping', { channelId });
    log('TYPING_SENT', { channelId });
    sentMessageId = crypto.randomUUID();
    const content = {
      object: 'value',
      document: {
        object: 'document',
        data: {},
        nodes: [{
          object: 'block', type: 'paragraph', data: {},
          nodes: [{ object: 'text', leaves: [{ object: 'leaf', text: 'hello from socket.io-client 2.5.0', marks: [] }] }],
        }],
      },
    };
    // The event may arrive before the HTTP answer; both are checked before finishing.
    sendDone = fetch(api + '/channels/' + channelId + '/messages', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: 'hmac_signed_session=' + session,
        'guilded-client-id': mid,
      },
      body: JSON.stringify({ messageId: sentMessageId, content, repliesToIds: [], isSilent: false, isPrivate: false }),
    }).then(async (sent) => {
      if (sent.status !== 200) fail('send status ' + sent.status);
      const body = await sent.json();
      if (body.message.id !== sentMessageId) fail('send answered id ' + body.message.id);
      log('SENT', { messageId: sentMessageId });
    });
  }

  socket.on('ChatMessageCreated', (payload) => {
    if (!sentMessageId || !payload.message || payload.message.id !== sentMessageId) return;
    sendDone.then(() => finish(payload)).catch((e) => fail(String(e)));
  });

  function finish(payload) {
    if (payload.type !== 'ChatMessageCreated') fail('payload.type is ' + payload.type);
    if (payload.guildedClientId !== mid) fail('guildedClientId is ' + payload.guildedClientId);
    if (payload.channelId !== channelId) fail('channelId is ' + payload.channelId);
    log('MESSAGE_CREATED', {
      id: payload.message.id,
      createdBy: payload.createdBy,
      channelType: payload.channelType,
      guildedClientId: payload.guildedClientId,
    });
    done = true;
    socket.emit('logout');
    socket.close();
    console.log('OK');
    process.exit(0);
  }
}

main().catch((e) => fail(String(e && e.stack || e)));
