// The reference side of the ingest benchmark (benches/ingest.rs): the reference Engine.IO v3 /
// Socket.IO v2 client (npm socket.io-client@2.5.0) takes in the bench's stream of
// ChatMessageCreated events, decoding each and counting them — nothing more.
//
// Usage: node ingest.js GATEWAY_URL COUNT
// Prints READY once connected, then DONE <count> <newest message id> after COUNT events, and
// stays alive (so its CPU time can be read) until its standard input closes.
'use strict';

const io = require('socket.io-client');

const [gateway, total] = process.argv.slice(2);
const want = Number(total);

const socket = io(gateway, {
  path: '/socket.io',
  transports: ['websocket'],
  query: { jwt: 'undefined', guildedClientId: '00000000000000000000000000000000' },
  reconnection: false,
  forceNew: true,
});

let count = 0;
socket.on('connect', () => console.log('READY'));
socket.on('connect_error', (e) => {
  console.log('FAIL connect_error ' + e);
  process.exit(1);
});
socket.on('ChatMessageCreated', (payload) => {
  count += 1;
  if (count === want) console.log('DONE ' + count + ' ' + payload.message.id);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
