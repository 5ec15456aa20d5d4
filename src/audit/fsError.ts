/** A file-system error in words a user reads in one line: the errno's meaning, not Node's message with the syscall. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EFBIG':
      return 'file size limit exceeded';
    case 'EROFS':
      return 'read-only file system';
    default:
      return e.message ?? String(err);
  }
}
