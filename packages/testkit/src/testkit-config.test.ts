import { testkitConfig, vmSeries } from './testkit-config';

describe('testkitConfig', () => {
  it('defaults to the container target and the latest image, owned by this process', () => {
    const config = testkitConfig({});
    expect(config).toMatchObject({
      image: 'sockspec-target:latest',
      target: 'container',
      ownerPid: process.pid,
    });
    expect(config.runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps one run id per process when none is given, so all targets of a run share it', () => {
    expect(testkitConfig({}).runId).toBe(testkitConfig({}).runId);
  });

  it('reads only SOCKSPEC_-prefixed variables', () => {
    const config = testkitConfig({
      SOCKSPEC_IMAGE: 'sockspec-target:abc',
      SOCKSPEC_RUN_ID: 'run-1',
      SOCKSPEC_OWNER_PID: '42',
      IMAGE: 'ignored',
    });
    expect(config).toMatchObject({ image: 'sockspec-target:abc', runId: 'run-1', ownerPid: 42 });
  });
});

describe('testkitConfig: SOCKSPEC_KVM', () => {
  it('probes for KVM when unset, insists on 1 and refuses it on 0', () => {
    expect(testkitConfig({}).kvm).toBe('auto');
    expect(testkitConfig({ SOCKSPEC_KVM: '1' }).kvm).toBe('on');
    expect(testkitConfig({ SOCKSPEC_KVM: '0' }).kvm).toBe('off');
  });

  it('rejects any other value, naming the ones it takes', () => {
    expect(() => testkitConfig({ SOCKSPEC_KVM: 'yes' })).toThrow(/not 1 \(KVM\), 0 \(TCG\)/);
  });
});

describe('vmSeries', () => {
  it('takes the kernel series from a vm:<series> target, and nothing from any other', () => {
    expect(vmSeries('vm:6.12')).toBe('6.12');
    expect(vmSeries('container')).toBeUndefined();
    expect(vmSeries('vm:latest')).toBeUndefined();
  });
});
