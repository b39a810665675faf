import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveCaptureFile } from './capture-file';

describe('saveCaptureFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockspec-capture-file-'));
  const before = process.env.SOCKSPEC_REPORT_DIR;
  beforeEach(() => (process.env.SOCKSPEC_REPORT_DIR = dir));
  afterAll(() => {
    process.env.SOCKSPEC_REPORT_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves the pcap file under captures/ and names it, relative to the report, in the entry', () => {
    const entry = saveCaptureFile('container:abc', 8080, 3, Buffer.from([1, 2, 3]));
    expect(entry).toEqual({
      port: 8080,
      pcap: 'captures/src_capture-file_test_ts--container_abc--8080-3.pcap',
    });
    expect([...readFileSync(join(dir, entry.pcap ?? ''))]).toEqual([1, 2, 3]);
  });

  it('leaves pcap out when there is no file to save, or it cannot be saved', () => {
    expect(saveCaptureFile('container:abc', 8080, 4, undefined)).toEqual({ port: 8080 });
    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, '');
    process.env.SOCKSPEC_REPORT_DIR = notAFolder;
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(saveCaptureFile('container:abc', 8080, 5, Buffer.from([1]))).toEqual({ port: 8080 });
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/could not save captures\/.*8080-5\.pcap/);
    stderr.mockRestore();
  });
});
