/** @module The WebSocket doors of the reference server. */

// `/ws/chat` (seed 003): the protocol is the engine's ChatConnection
export { expressClientIp } from './client-ip.js';
export type { OutboundOptions, OutboundSocket } from './outbound.js';
export { Outbound } from './outbound.js';
export type { RealtimeServer, RealtimeServerOptions } from './realtime-server.js';
export { createRealtimeServer, realtimeChatPath, SECRET_EXPIRED_CLOSE_CODE } from './realtime-server.js';
// Refusing upgrades
export { originAllowed, rejectUpgrade } from './upgrade.js';
