/** Every path the agent answers starts with this. */
export const API_PREFIX = '/v1';

/** The port the agent listens on inside a target, unless told otherwise. */
export const AGENT_PORT = 7070;

/**
 * Every path of the agent's API, as its router matches them: `:id` stands for a number (pathTo fills it in). The
 * agent routes by these and the test kit calls them, so the two cannot drift apart.
 */
export const PATHS = {
  info: `${API_PREFIX}/info`,
  sockets: `${API_PREFIX}/sockets`,
  socketOptions: `${API_PREFIX}/sockets/:id/options`,
  socketBind: `${API_PREFIX}/sockets/:id/bind`,
  socketListen: `${API_PREFIX}/sockets/:id/listen`,
  socketAccept: `${API_PREFIX}/sockets/:id/accept`,
  socketConnect: `${API_PREFIX}/sockets/:id/connect`,
  socketStatus: `${API_PREFIX}/sockets/:id/status`,
  socketSend: `${API_PREFIX}/sockets/:id/send`,
  socketRecv: `${API_PREFIX}/sockets/:id/recv`,
  socketShutdown: `${API_PREFIX}/sockets/:id/shutdown`,
  socketClose: `${API_PREFIX}/sockets/:id/close`,
  closeInOrder: `${API_PREFIX}/sockets/close-in-order`,
  programs: `${API_PREFIX}/programs`,
  program: `${API_PREFIX}/programs/:id`,
  programSignal: `${API_PREFIX}/programs/:id/signal`,
  tcp: `${API_PREFIX}/tcp`,
  tcpWait: `${API_PREFIX}/tcp/wait`,
  tcpChanges: `${API_PREFIX}/tcp/changes`,
  sysctls: `${API_PREFIX}/sysctls`,
  counters: `${API_PREFIX}/counters`,
  drops: `${API_PREFIX}/firewall/drops`,
  drop: `${API_PREFIX}/firewall/drops/:id`,
  captures: `${API_PREFIX}/captures`,
  capture: `${API_PREFIX}/captures/:id`,
  captureStop: `${API_PREFIX}/captures/:id/stop`,
  capturePcap: `${API_PREFIX}/captures/:id/pcap`,
  renew: `${API_PREFIX}/renew`,
  files: `${API_PREFIX}/files`,
  fileBatch: `${API_PREFIX}/files/:id`,
} as const;

/** A path template with its `:id` filled in: `pathTo(PATHS.socketBind, 3)` is `/v1/sockets/3/bind`. */
export function pathTo(template: string, id: number): string {
  return template.replace(':id', String(id));
}
