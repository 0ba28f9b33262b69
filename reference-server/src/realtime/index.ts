/** @module The WebSocket doors of the reference server. */

// The doors: `/ws/chat` (seed 003), a session's event stream (seed 001)
export { chatDoor } from './chat-door.js';
export { expressClientIp } from './client-ip.js';
export { eventsDoor } from './events-door.js';
export type { OutboundOptions, OutboundSocket } from './outbound.js';
export { Outbound } from './outbound.js';
export type { RealtimeServer, RealtimeServerOptions } from './realtime-server.js';
export { createRealtimeServer, realtimeChatPath, SECRET_EXPIRED_CLOSE_CODE } from './realtime-server.js';
export {
  type DoorAdmission,
  type DoorConnection,
  type DoorRequest,
  type DoorSocket,
  matchPath,
  type SocketDoor,
} from './socket-door.js';
// Refusing upgrades
export { originAllowed, rejectUpgrade } from './upgrade.js';
