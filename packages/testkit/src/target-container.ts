import { GenericContainer } from 'testcontainers';

/**
 * A GenericContainer with what testcontainers 11 lacks: per-container `net.*` sysctls, and published ports bound
 * to 127.0.0.1 only (Docker's default is every host address), so the agent is never reachable from outside.
 */
export class TargetContainer extends GenericContainer {
  private sysctls: Record<string, string> = {};

  withSysctls(sysctls: Readonly<Record<string, string | number>>): this {
    for (const [name, value] of Object.entries(sysctls)) this.sysctls[name] = String(value);
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, ...this.sysctls };
    const bindings = this.hostConfig.PortBindings as
      Record<string, Array<{ HostPort?: string }>> | undefined;
    for (const [port, list] of Object.entries(bindings ?? {})) {
      (bindings as Record<string, unknown>)[port] = list.map((binding) => ({
        ...binding,
        HostIp: '127.0.0.1',
      }));
    }
  }
}
