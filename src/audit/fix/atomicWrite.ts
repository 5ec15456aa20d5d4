/**
 * Replacing a file's bytes so that, whatever fails, the file holds either its old bytes or its
 * new ones: the new bytes go to a temporary file beside it (same directory, so the same file
 * system), are flushed to disk, and are renamed over the original, which POSIX makes atomic.
 * A full disk, a quota or a permission error leaves the original untouched.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from '../fsError.js';

export type ReplaceOutcome = { ok: true } | { ok: false; reason: string };

/** Writes `bytes` to a new file beside `path` with `path`'s mode and owner, then renames it over `path`. */
function writeThenRename(path: string, bytes: Buffer, mode: number, uid: number, gid: number): void {
  const temp = join(dirname(path), `.${basename(path)}.zerodrop-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode & 0o7777);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (process.getuid?.() === 0) {
      try {
        chownSync(temp, uid, gid);
      } catch {}
    }
    renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {}
    }
    try {
      unlinkSync(temp);
    } catch {}
    throw err;
  }
}

/**
 * Replaces the file at `path` (a real path, not a link) with `bytes`, if `unchanged` accepts its
 * current bytes. Refuses read-only files (even for root: the mode says the owner does not want
 * them edited) and files with several hard links (a rename would split them).
 */
export function replaceFile(path: string, bytes: Buffer, unchanged: (current: Buffer) => string | undefined): ReplaceOutcome {
  let st;
  let current: Buffer;
  try {
    st = statSync(path);
    current = readFileSync(path);
  } catch (err) {
    return { ok: false, reason: `cannot read it any more (${describeFsError(err)})` };
  }
  if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
  if ((st.mode & 0o222) === 0)
    return { ok: false, reason: `read-only (mode ${(st.mode & 0o777).toString(8)}); make it writable to let --fix-in-place edit it` };
  if (st.nlink > 1) return { ok: false, reason: `has ${st.nlink} hard links and replacing it would split them; use --fix for a patch` };
  const changed = unchanged(current);
  if (changed) return { ok: false, reason: changed };
  try {
    writeThenRename(path, bytes, st.mode, st.uid, st.gid);
  } catch (err) {
    return { ok: false, reason: `could not write it (${describeFsError(err)}); the file is unchanged` };
  }
  // What is on disk now must be what was checked. If not, another program wrote the file in the
  // moment after the rename, or the file system did not keep what it was given: the original
  // goes back, and what the file held is kept beside it, so neither is lost.
  let back: Buffer | undefined;
  try {
    back = readFileSync(path);
  } catch {}
  if (back?.equals(bytes)) return { ok: true };
  const kept = back && !back.equals(current) ? keepBeside(path, back, st) : undefined;
  const keptNote =
    kept === undefined ? '' : 'file' in kept ? `; what it held instead is kept in ${kept.file}` : `; keeping what it held instead failed (${kept.error})`;
  try {
    writeThenRename(path, current, st.mode, st.uid, st.gid);
    return {
      ok: false,
      reason: `the written file did not read back as written (another program changed it, or the file system did); restored the original${keptNote}`,
    };
  } catch (err) {
    return { ok: false, reason: `the written file did not read back as written and restoring the original failed (${describeFsError(err)})${keptNote}` };
  }
}

/** Saves `bytes` in a new file beside `path`, named after it, with its mode and owner. */
function keepBeside(path: string, bytes: Buffer, st: { mode: number; uid: number; gid: number }): { file: string } | { error: string } {
  const file = `${path}.zerodrop-found-${randomBytes(4).toString('hex')}`;
  try {
    writeThenRename(file, bytes, st.mode, st.uid, st.gid);
    return { file };
  } catch (err) {
    return { error: describeFsError(err) };
  }
}
