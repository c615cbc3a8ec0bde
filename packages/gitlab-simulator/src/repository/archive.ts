import { gzipSync } from 'node:zlib';
import { Header, Pax } from 'tar';
import { CommitRecord } from './repositories';

const BLOCK = 512;

function padToBlock(content: Buffer): Buffer {
  const remainder = content.length % BLOCK;
  return remainder === 0
    ? content
    : Buffer.concat([content, Buffer.alloc(BLOCK - remainder)]);
}

function entryHeader(
  path: string,
  type: 'File' | 'Directory',
  mode: number,
  size: number,
  mtime: Date,
): Buffer[] {
  const data = { path, type, mode, size, mtime, uid: 0, gid: 0 } as const;
  const header = new Header(data);
  const block = Buffer.alloc(BLOCK);
  // encode() returns true when the path does not fit the ustar fields; a
  // PAX extended header before the entry then carries the full path.
  const needsPax = header.encode(block);
  if (!needsPax) return [block];
  const pax = new Pax({ path, mtime }).encode();
  return [pax, block];
}

/**
 * Builds the tar.gz that GET /projects/:id/repository/archive returns: the
 * files of `commit` below `folder` (all when empty), with their full paths,
 * inside one top-level folder named `root`.
 */
export function tarGzArchive(
  commit: CommitRecord,
  root: string,
  folder: string,
): Buffer {
  const prefix = folder.replace(/^\/+|\/+$/g, '');
  const mtime = new Date(commit.createdAt);
  const parts: Buffer[] = [
    ...entryHeader(`${root}/`, 'Directory', 0o755, 0, mtime),
  ];
  const paths = [...commit.tree.keys()]
    .filter(path => !prefix || path === prefix || path.startsWith(`${prefix}/`))
    .sort();
  for (const path of paths) {
    const entry = commit.tree.get(path)!;
    parts.push(
      ...entryHeader(
        `${root}/${path}`,
        'File',
        entry.executable ? 0o755 : 0o644,
        entry.content.length,
        mtime,
      ),
      padToBlock(entry.content),
    );
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
