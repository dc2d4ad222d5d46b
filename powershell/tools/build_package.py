"""`make package`: the PowerShell scanner's release zip, dist/SlaWatch-<version>.zip.

The version is defined once, in the module manifest (`ModuleVersion` in powershell/SlaWatch/SlaWatch.psd1); the
build refuses to run when anything else that states the product's version (pyproject.toml) says otherwise.
Contents, at the root of the zip:
    SlaWatch/                 the module (manifest, root module, Public/, Private/)
    Invoke-SlaWatch.ps1       the scheduled task's entry script
    slawatch.example.json     the example configuration
    scanner-config.schema.json  the configuration's reference
    INSTALL.md                the install, upgrade and uninstall guide (powershell/README.md)
Entries are sorted and carry a fixed date, so a rebuild of the same tree gives the same zip.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "powershell" / "SlaWatch"
MANIFEST = MODULE / "SlaWatch.psd1"
FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def module_version() -> str:
    found = re.search(r"^\s*ModuleVersion\s*=\s*'([0-9]+\.[0-9]+\.[0-9]+)'", MANIFEST.read_text(encoding="utf-8"), re.M)
    if not found:
        raise SystemExit(f"no ModuleVersion in {MANIFEST}")
    return found.group(1)


def stated_versions() -> dict[str, str]:
    """Every other place that states the product version."""
    pyproject = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    return {"pyproject.toml": pyproject.group(1) if pyproject else "?"}


def contents() -> list[tuple[str, Path]]:
    files = [(f"SlaWatch/{p.relative_to(MODULE).as_posix()}", p) for p in sorted(MODULE.rglob("*")) if p.is_file()]
    files += [
        ("Invoke-SlaWatch.ps1", REPO / "powershell" / "Invoke-SlaWatch.ps1"),
        ("slawatch.example.json", REPO / "config" / "slawatch.example.json"),
        ("scanner-config.schema.json", REPO / "config" / "scanner-config.schema.json"),
        ("INSTALL.md", REPO / "powershell" / "README.md"),
    ]
    return files


def build(out_dir: Path) -> Path:
    version = module_version()
    wrong = {where: stated for where, stated in stated_versions().items() if stated != version}
    if wrong:
        raise SystemExit(f"version mismatch: SlaWatch.psd1 says {version}, but {wrong}; change them together")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"SlaWatch-{version}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in contents():
            entry = zipfile.ZipInfo(name, FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes())
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "dist"))
