/**
 * The first process of a VM kernel: mounts the kernel's filesystems, loads the modules for qemu's network and for
 * the targets' bridges, brings up qemu's user network, and starts the supervisor with the token handed over on the
 * kernel's command line. The supervisor makes the targets: network namespaces, an agent in each.
 */
export const VM_INIT = `#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp /run && mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /run
for module in virtio_pci virtio_net nf_tables bridge veth; do modprobe "$module" 2>/dev/null; done
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
for word in $(cat /proc/cmdline); do
  case "$word" in
    sockspec.token=*) export SOCKSPEC_AGENT_TOKEN="\${word#sockspec.token=}" ;;
    sockspec.env.*=*) export "\${word#sockspec.env.}" ;;
  esac
done
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
node /opt/sockspec/node_modules/@sockspec/agent/dist/supervisor/supervisor-main.js
echo o > /proc/sysrq-trigger
`;
