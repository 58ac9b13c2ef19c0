#!/usr/bin/env python3
import subprocess, sys
from pathlib import Path

pdf = Path(sys.argv[1])
out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
print(out.stdout[:5000])
