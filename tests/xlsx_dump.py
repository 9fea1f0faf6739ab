#!/usr/bin/python3
"""Prints an XLSX file's sheets as JSON, read by openpyxl (an independent reader):
{"sheets": [{"name": ..., "rows": [[cell, ...], ...]}, ...]}; the first row is the header."""
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {"sheets": []}
for ws in book.worksheets:
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    out["sheets"].append({"name": ws.title, "rows": rows})
json.dump(out, sys.stdout, ensure_ascii=False, default=str)
