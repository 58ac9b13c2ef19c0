#!/usr/bin/env python3
import sys
from datetime import datetime

events, cur = [], {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line == "BEGIN:VEVENT":
        cur = {}
    elif line.startswith("DTSTART"):
        cur["start"] = line.split(":", 1)[1]
    elif line.startswith("SUMMARY:"):
        cur["summary"] = line[8:]
    elif line == "END:VEVENT":
        events.append(cur)
for e in sorted(events, key=lambda e: e.get("start", "")):
    print(e.get("start"), e.get("summary"))
