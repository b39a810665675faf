import { captureFileOf, reportDir, writeCaptureFile, type CaptureRecord } from '@sockspec/records';
import { currentScenario } from './jest-state';

/**
 * Saves a stopped capture's pcap file as <dir>/captures/<spec>--<target>--<port>-<id>.pcap (dir: the run's report
 * folder unless the target names another) and answers with the capture's entry for the target's record. Never throws: a file that cannot be saved must not fail a passing spec,
 * so the entry then has no `pcap` and the reason goes to stderr.
 */
export function saveCaptureFile(
  target: string,
  port: number,
  id: number,
  pcap: Uint8Array | undefined,
  dir = reportDir(),
): CaptureRecord {
  if (pcap === undefined) return { port };
  const file = captureFileOf(currentScenario().file ?? 'outside-jest', target, port, id);
  try {
    writeCaptureFile(dir, file, pcap);
    return { port, pcap: file };
  } catch (error) {
    process.stderr.write(`sockspec: could not save ${file} for ${target}: ${String(error)}\n`);
    return { port };
  }
}
