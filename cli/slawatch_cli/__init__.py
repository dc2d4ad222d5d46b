"""slawatch operator CLI and Linux scanner (console script ``slawatch``).

The scanner half reads the same configuration and produces the same report as the PowerShell module, so a
Linux file server or an NFS/SMB mount is watched exactly like a Windows share; the operator half queries,
replays, redrives and onboards users against the deployed stack.
"""

from importlib import metadata

try:
    __version__ = metadata.version("slawatch")
except metadata.PackageNotFoundError:  # running from a source tree without `pip install -e .`
    __version__ = "0.1.0"
