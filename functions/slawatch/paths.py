"""Canonical folder and file keys: the same folder written two ways must be one folder.

Windows paths (drive letter or UNC) are case-insensitive, so their key is case-folded with one separator
style; POSIX paths are case-sensitive and keep their case. The original text is always kept for display.
"""

from __future__ import annotations

import re

_DRIVE = re.compile(r"^[A-Za-z]:([\\/]|$)")
_LONG_UNC = re.compile(r"^[\\/]{2}\?[\\/]UNC[\\/]", re.IGNORECASE)
_LONG_LOCAL = re.compile(r"^[\\/]{2}\?[\\/]")


def is_windows_path(path: str) -> bool:
    """Drive paths (C:\\x), UNC paths (\\\\server\\share) and their \\\\?\\ long forms."""
    return bool(_DRIVE.match(path)) or path.startswith("\\\\") or (path.startswith("//") and "\\" in path)


def canonical_folder(path: str) -> str:
    """The key form of a folder path: one separator, no trailing separator, Windows paths case-folded."""
    if is_windows_path(path):
        return _canonical_windows(path)
    return _canonical_posix(path)


def canonical_filename(filename: str, folder: str) -> str:
    """The key form of a file name relative to its folder, following the folder's case rules."""
    if is_windows_path(folder):
        return _fold_case(re.sub(r"[\\/]+", "\\\\", filename).strip("\\"))
    return re.sub(r"/+", "/", filename).strip("/")


def _fold_case(text: str) -> str:
    """Windows' case-insensitivity: NTFS upper-cases one character at a time, so a character whose case fold
    is several characters ("ß" -> "ss", "ﬁ" -> "fi") is not equal to them there and must not become them here."""
    folded = text.casefold()
    if len(folded) == len(text):  # every character folded to one: the common case, and the keys stay as they were
        return folded
    return "".join(f if len(f := c.casefold()) == 1 else (c.lower() if len(c.lower()) == 1 else c) for c in text)


def _canonical_windows(path: str) -> str:
    text = path
    if _LONG_UNC.match(text):
        text = "\\\\" + _LONG_UNC.sub("", text)
    elif _LONG_LOCAL.match(text):
        text = _LONG_LOCAL.sub("", text)
    unc = text[:2] in ("\\\\", "//", "\\/", "/\\")
    body = re.sub(r"[\\/]+", "\\\\", text[2:] if unc else text).rstrip("\\")
    if unc:
        return _fold_case("\\\\" + body)
    if re.fullmatch(r"[A-Za-z]:", body):
        body += "\\"  # the root of a drive keeps its separator: C:\ is not C: (the drive's current dir)
    return _fold_case(body)


def _canonical_posix(path: str) -> str:
    collapsed = re.sub(r"/+", "/", path)
    stripped = collapsed.rstrip("/")
    return stripped or "/"
