import { readFileSync, existsSync, statSync } from 'node:fs';
import { FileRegistry, fileBatch } from './file-registry';
import { HttpError } from './http-error';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('files handed to a target', () => {
  const files = new FileRegistry();
  afterAll(() => files.removeAll());

  it('writes batches into a fresh folder, creating subfolders, appending pieces, keeping modes', () => {
    const { id, dir } = files.create();
    files.write(id, {
      files: [
        { path: 'server.js', data: base64('first '), mode: 0o755 },
        { path: 'lib/util.js', data: base64('module.exports = 1;\n') },
      ],
    });
    files.write(id, {
      files: [{ path: 'server.js', data: base64('second'), mode: 0o755, append: true }],
    });
    expect(readFileSync(`${dir}/server.js`, 'utf8')).toBe('first second');
    expect(readFileSync(`${dir}/lib/util.js`, 'utf8')).toBe('module.exports = 1;\n');
    expect(statSync(`${dir}/server.js`).mode & 0o777).toBe(0o755);
  });

  it.each(['../escape.js', '/etc/passwd', 'a/../../b', 'a//b', './a', ''])(
    'refuses the path %p with a 400',
    (path) => {
      const { id } = files.create();
      expect(() => files.write(id, { files: [{ path, data: '' }] })).toThrow(HttpError);
    },
  );

  it('answers 404 for a folder it never made', () => {
    expect(() => files.write(999, { files: [] })).toThrow(/no files folder 999/);
  });

  it('checks a batch field by field', () => {
    expect(() => fileBatch({})).toThrow(/'files'/);
    expect(() => fileBatch({ files: [{ path: 'a', data: 'not base64!' }] })).toThrow(/base64/);
    expect(() => fileBatch({ files: [{ path: 'a', data: '', mode: 0o1777 }] })).toThrow(/'mode'/);
    expect(fileBatch({ files: [{ path: 'a', data: base64('x') }] }).files).toHaveLength(1);
  });

  it('removes every folder it made', () => {
    const { dir } = files.create();
    files.removeAll();
    expect(existsSync(dir)).toBe(false);
  });
});
