"""Canonical folder and file keys: the same folder written two ways must be one folder.

Windows paths (drive letter or UNC) are case-insensitive, so their key is case-folded by NTFS's rule (per
UTF-16 code unit) with one separator style; POSIX paths are case-sensitive and keep their case. The original text
is always kept for display.
"""

from __future__ import annotations

import re
from functools import cache

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
    """Windows' case-insensitivity, with NTFS's effect: two names are one file exactly when upper-casing each
    UTF-16 code unit alone, one to one, makes them equal. See `_ntfs_key_table` for the rule."""
    return text.translate(_ntfs_key_table())


def _simple_upper(char: str) -> str:
    """Unicode's simple (one-to-one) upper case of one BMP character, as far as Python's data exposes it:
    `str.upper()` applies the full mappings ("ß" -> "SS"), so a result longer than one character falls back
    to `str.title()` (whose simple mapping coincides where one exists: U+1F80 -> U+1F88), else to the character
    itself, as NTFS leaves it. Astral results are refused: NTFS maps code units, never pairs."""
    for mapped in (char.upper(), char.title()):
        if len(mapped) == 1 and ord(mapped) <= 0xFFFF:
            return mapped
    return char


@cache
def _ntfs_key_table() -> dict[int, str]:
    """The key character of every BMP code unit: its NTFS upper case U, written in lower case when lowering
    U is one character that upper-cases back to U (so ASCII keys stay lower case, "d:\\in"), else U itself.
    Two code units get the same key exactly when their upper cases are equal: the classes are NTFS's, so
    U+212A KELVIN SIGN stays apart from "k", "ß" from "ss" and from "ẞ", "ﬁ" from "fi", and astral letters
    (Deseret) and lone surrogates keep their case, as on NTFS. Windows' own $UpCase table was generated from
    the Unicode version of the Windows release that formatted the volume; this one follows Python's."""
    table: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        upper = _simple_upper(char)
        lower = upper.lower()
        key = lower if len(lower) == 1 and ord(lower) <= 0xFFFF and _simple_upper(lower) == upper else upper
        if key != char:
            table[code] = key
    return table


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
