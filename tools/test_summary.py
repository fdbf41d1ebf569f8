#!/usr/bin/env python3
"""Adds up the closing lines of every suite `make test` ran (Swift Testing, pytest, the fuzzer)
and prints one plain line, 'N passed, N failed', so the total is visible at the end of CI."""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
passed = failed = 0
for m in re.finditer(r"Test run with (\d+) tests? in \d+ suites? (passed|failed)", text):
    if m.group(2) == "passed":
        passed += int(m.group(1))
    else:
        failed += int(m.group(1))
for m in re.finditer(r"^(?:=+ )?(?:(\d+) failed, )?(\d+) passed(?:, \d+ \w+)* in [\d.]+s", text, re.M):
    failed += int(m.group(1) or 0)
    passed += int(m.group(2))
fuzz = len(re.findall(r"^fuzz: \d+ runs, no crash", text, re.M))
passed += fuzz
print(f"make test: {passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
