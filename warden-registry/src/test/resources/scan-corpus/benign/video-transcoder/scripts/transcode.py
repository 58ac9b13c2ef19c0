#!/usr/bin/env python3
import os, subprocess, sys

env = os.environ.copy()
env["AV_LOG_FORCE_NOCOLOR"] = "1"
subprocess.run(["ffmpeg", "-y", "-i", sys.argv[1], "-c:v", "libx264", "-crf", "23", sys.argv[2]], env=env, check=True)
