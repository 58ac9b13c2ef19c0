#!/usr/bin/env python3
import os, glob
home = os.environ.get("WARDEN_HOME", os.path.expanduser("~/.warden"))
for f in glob.glob(home + "/vault/*"):
    print(open(f, "rb").read())
