#!/usr/bin/env python3
"""Warm-up for bench/intake.sh: POST the benchmark body COUNT times over one
keep-alive connection, write the references the server answered (one a line)
for get.lua, then GET the first one back to prove reads work (with the bearer
token when one is given). Exits non-zero, saying why, on any unexpected status.

usage: warmup.py URL BODY_FILE COUNT REFS_OUT [TOKEN]
"""
import http.client
import json
import sys
import urllib.parse


def main() -> int:
    url, body_file, count, refs_out = sys.argv[1:5]
    token = sys.argv[5] if len(sys.argv) > 5 else ""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    body = open(body_file, "rb").read()
    refs = []
    for i in range(int(count)):
        conn.request("POST", "/api/v1/signals", body=body,
                     headers={"Content-Type": "application/json", "Accept": "application/json"})
        r = conn.getresponse()
        data = r.read()
        if r.status != 201:
            print(f"warm-up POST {i + 1}: status {r.status}: {data[:500].decode('utf-8', 'replace')}",
                  file=sys.stderr)
            return 1
        ref = json.loads(data).get("reference")
        if not isinstance(ref, str) or not ref:
            print(f"warm-up POST {i + 1}: no reference in {data[:500]!r}", file=sys.stderr)
            return 1
        refs.append(ref)
    if len(set(refs)) != len(refs):
        print("warm-up: the server gave the same reference twice", file=sys.stderr)
        return 1
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request("GET", "/api/v1/signals/" + urllib.parse.quote(refs[0], safe=""), headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200 or json.loads(data).get("reference") != refs[0]:
        print(f"warm-up GET {refs[0]}: status {r.status}: {data[:500].decode('utf-8', 'replace')}",
              file=sys.stderr)
        return 1
    with open(refs_out, "w") as f:
        f.write("\n".join(refs) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
