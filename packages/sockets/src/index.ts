export {
  Socket,
  type Family,
  type Keepalive,
  type Linger,
  type Readiness,
  type ShutdownHow,
  type SocketAddress,
} from './socket';
export { SocketError } from './socket-error';
export { ERRNO_NAMES, errnoHint, errnoName } from './errno';
export { decodeSockaddr, encodeSockaddr, ipv6Bytes } from './sockaddr';
export { runServer } from './server';
export { runClient } from './client';
export { parseServerArgs, SERVER_USAGE, type ServerOptions } from './server-options';
export { parseClientArgs, CLIENT_USAGE, type ClientOptions } from './client-options';
export type { Emit, ProgramEvent, ProgramHandle, ProgramSettings } from './program-events';
export { programSettingsFromEnv } from './program-config';
export { ReadinessLoop, type Watch } from './readiness-loop';
export { enterNewNetworkNamespace } from './network-namespace';
