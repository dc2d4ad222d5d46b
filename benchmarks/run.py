"""Run the benchmarks: ``python -m benchmarks.run [--folders N --files-per-folder M --dir D --rounds R]``.

Today there is one: the scanner against GNU find (benchmarks/scanner_bench.py).
"""

import sys

from benchmarks.scanner_bench import main

if __name__ == "__main__":
    sys.exit(main())
