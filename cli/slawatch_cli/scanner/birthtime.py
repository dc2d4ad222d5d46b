"""A file's birth (creation) time on Linux, through statx(2).

Python 3.11's ``os.stat`` has no ``st_birthtime`` on Linux (``os.statx`` does not exist in 3.11), yet the kernel
(4.11+) and glibc (2.28+) report it on ext4, XFS, Btrfs and tmpfs. ``ctypes`` calls ``statx`` directly; where the
C library lacks it, or the file system does not record a birth time (many NFS and SMB mounts, older kernels),
the answer is None and the caller falls back to the status-change time.
"""

import ctypes
import os
import struct
import sys

_AT_FDCWD = -100
_AT_SYMLINK_NOFOLLOW = 0x100
_STATX_BTIME = 0x800
_BUFFER = 256  # sizeof(struct statx)
_BTIME_OFFSET = 80  # struct statx: stx_btime (s64 tv_sec, u32 tv_nsec) after 64 bytes of fields + stx_atime


def _load() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).statx
    except (OSError, AttributeError):  # not glibc >= 2.28 (or musl >= 1.2.5)
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p)
    function.restype = ctypes.c_int
    return function


_statx = _load()


def supported() -> bool:
    """True when this C library can ask the kernel for birth times at all."""
    return _statx is not None


def birth_time_ns(path: str | bytes) -> int | None:
    """Epoch nanoseconds of the file's birth, without following a final symbolic link; None when unknown."""
    if _statx is None:
        return None
    buffer = ctypes.create_string_buffer(_BUFFER)
    if _statx(_AT_FDCWD, os.fsencode(path), _AT_SYMLINK_NOFOLLOW, _STATX_BTIME, buffer) != 0:  # type: ignore[operator]
        return None
    (mask,) = struct.unpack_from("=I", buffer, 0)
    if not mask & _STATX_BTIME:
        return None
    seconds, nanoseconds = struct.unpack_from("=qI", buffer, _BTIME_OFFSET)
    return seconds * 1_000_000_000 + nanoseconds
