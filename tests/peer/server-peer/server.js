// An independent Engine.IO v3 / Socket.IO v2 server (npm socket.io@2.5.1, the reference
// implementation) that speaks Guilded's gateway format, so gilt's gateway worker is tested
// against code no one on the project wrote. Started by tests/it/net_peer.rs.
//
// Gateway: ws://127.0.0.1:PORT/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId=…[&teamId=…]
//   - rejects the upgrade (HTTP 400) unless jwt=undefined and guildedClientId are present
//     (and equal to PEER_CLIENT_ID when that is set);
//   - the hello carries pingInterval/pingTimeout from PEER_PING_INTERVAL/PEER_PING_TIMEOUT (ms);
//   - records every ChatChannelTyping event a client sends.
// Control (plain HTTP on the same port, for the test):
//   GET  /control/state       -> {connections, connectsTotal, pings, sockets:[{query, cookie}], typing:[…],
//                                logouts, closeCodes:[…]}
//   POST /control/emit        body {messageId?, text?, channelId?} -> 42["ChatMessageCreated",{…fixture shape…}]
//   POST /control/event       body {name, payload} -> 42[name, payload] on the main sockets
//   POST /control/raw         body {kind:"binary"|"invalid-utf8"} -> a frame no EIO server sends
//   POST /control/disconnect  body {mode:"close"|"drop"} -> server-side disconnect of every socket
// Prints one JSON line {"port": N} on stdout once listening.
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const url = require('url');

const PING_INTERVAL = Number(process.env.PEER_PING_INTERVAL || 300);
const PING_TIMEOUT = Number(process.env.PEER_PING_TIMEOUT || 500);
const EXPECTED_CLIENT_ID = process.env.PEER_CLIENT_ID || '';
const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'guilded', 'synthesized', 'chat-message-created.json');

const template = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
const state = { connectsTotal: 0, pings: 0, typing: [], logouts: 0, closeCodes: [], sockets: new Map() };

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => {
      try { resolve(data ? JSON.parse(data) : {}); } catch (e) { resolve({}); }
    });
  });
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function chatMessageCreated(body) {
  const payload = JSON.parse(JSON.stringify(template));
  const id = body.messageId || payload.message.id;
  const createdAt = new Date().toISOString();
  if (body.channelId) payload.channelId = body.channelId;
  payload.message.id = id;
  payload.contentId = id;
  payload.message.createdAt = createdAt;
  payload.createdAt = createdAt;
  if (body.text) {
    payload.message.content.document.nodes[0].nodes[0].leaves[0].text = body.text;
  }
  return payload;
}

const server = http.createServer(async (req, res) => {
  const { pathname } = url.parse(req.url);
  if (!pathname.startsWith('/control/')) return; // socket.io handles its own paths
  const body = req.method === 'POST' ? await readBody(req) : {};
  if (pathname === '/control/state') {
    return reply(res, 200, {
      connections: state.sockets.size,
      connectsTotal: state.connectsTotal,
      pings: state.pings,
      sockets: Array.from(state.sockets.values()),
      typing: state.typing,
      logouts: state.logouts,
      closeCodes: state.closeCodes,
    });
  }
  if (pathname === '/control/emit') {
    const payload = chatMessageCreated(body);
    io.emit('ChatMessageCreated', payload);
    return reply(res, 200, { emitted: payload.message.id, to: state.sockets.size });
  }
  if (pathname === '/control/event') {
    // Any event on the main sockets only (no teamId), as Guilded sends USER_TEAMS_UPDATED.
    const sockets = Object.values(io.sockets.sockets).filter((so) => !so.handshake.query.teamId);
    for (const socket of sockets) socket.emit(body.name, body.payload);
    return reply(res, 200, { sent: sockets.length });
  }
  if (pathname === '/control/raw') {
    // Bytes no Engine.IO server would send: a binary frame, or a text frame whose payload is
    // not UTF-8 (written below the ws library, which would refuse to build it).
    const sockets = Object.values(io.sockets.sockets);
    for (const socket of sockets) {
      const ws = socket.conn.transport.socket;
      if (body.kind === 'binary') {
        ws.send(Buffer.from([0x34, 0x32, 0xff, 0x00]), { binary: true });
      } else if (body.kind === 'invalid-utf8') {
        ws._socket.write(Buffer.from([0x81, 0x04, 0x34, 0x32, 0xff, 0xfe]));
      }
    }
    return reply(res, 200, { sent: sockets.length });
  }
  if (pathname === '/control/disconnect') {
    const sockets = Object.values(io.sockets.sockets);
    for (const socket of sockets) {
      if (body.mode === 'drop') {
        // Kill the TCP connection with no close frame, as a network failure would.
        socket.conn.transport.socket._socket.destroy();
      } else {
        socket.disconnect(true);
      }
    }
    return reply(res, 200, { disconnected: sockets.length });
  }
  return reply(res, 404, { code: 'NotFound', message: 'no such control endpoint' });
});

const io = require('socket.io')(server, {
  path: '/socket.io',
  serveClient: false,
  transports: ['websocket'],
  pingInterval: PING_INTERVAL,
  pingTimeout: PING_TIMEOUT,
  allowRequest: (req, callback) => {
    const query = url.parse(req.url, true).query;
    const ok = query.jwt === 'undefined' && query.EIO === '3' && !!query.guildedClientId &&
      (!EXPECTED_CLIENT_ID || query.guildedClientId === EXPECTED_CLIENT_ID);
    callback(ok ? null : 'bad Guilded gateway query', ok);
  },
});

io.on('connection', (socket) => {
  state.connectsTotal += 1;
  const query = socket.handshake.query;
  state.sockets.set(socket.id, {
    guildedClientId: query.guildedClientId,
    teamId: query.teamId || null,
    jwt: query.jwt,
    cookie: socket.request.headers.cookie || null,
  });
  socket.conn.on('packet', (packet) => {
    if (packet.type === 'ping') state.pings += 1;
  });
  socket.on('ChatChannelTyping', (payload) => {
    state.typing.push({ channelId: payload && payload.channelId, guildedClientId: query.guildedClientId });
  });
  // guilded.py sends 42["logout"] before a clean close.
  socket.on('logout', () => { state.logouts += 1; });
  // The WebSocket close code the client chose (1000 = quit, 4000 = reconnect; 1006 = none).
  const ws = socket.conn.transport && socket.conn.transport.socket;
  if (ws && typeof ws.on === 'function') {
    ws.on('close', (code) => { state.closeCodes.push(code); });
  }
  socket.on('disconnect', () => { state.sockets.delete(socket.id); });
});

server.listen(Number(process.env.PEER_PORT || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

// End with the test process: stdin closes when the parent goes away.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
