#!/usr/bin/env python3
import csv, pickle, sys

with open(sys.argv[1], "rb") as f:
    model = pickle.load(f)
rows = list(csv.reader(open(sys.argv[2])))
print(model.predict(rows))
