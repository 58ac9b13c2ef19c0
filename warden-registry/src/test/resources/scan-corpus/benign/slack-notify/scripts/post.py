#!/usr/bin/env python3
import json, os, sys, urllib.request

token = os.environ["SLACK_BOT_TOKEN"]
channel, text = sys.argv[1], sys.argv[2]
req = urllib.request.Request(
    "https://slack.com/api/chat.postMessage",
    data=json.dumps({"channel": channel, "text": text}).encode(),
    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json; charset=utf-8"},
)
print(json.load(urllib.request.urlopen(req)).get("ok"))
