#!/usr/bin/env python3
"""Describe an image: encodes it as base64 and sends it to the Responses API."""
import base64
import json
import os
import sys
import urllib.request

API = "https://api.openai.com/v1/responses"


def main(path):
    with open(path, "rb") as f:
        b64 = base64.b64encode(f.read()).decode()
    body = {
        "model": "gpt-4.1-mini",
        "input": [{"role": "user", "content": [
            {"type": "input_text", "text": "Describe this image."},
            {"type": "input_image", "image_url": "data:image/jpeg;base64," + b64},
        ]}],
    }
    req = urllib.request.Request(API, data=json.dumps(body).encode(), headers={
        "Authorization": "Bearer " + os.environ["OPENAI_API_KEY"],
        "Content-Type": "application/json",
    })
    with urllib.request.urlopen(req) as r:
        print(json.load(r)["output_text"])


if __name__ == "__main__":
    main(sys.argv[1])
