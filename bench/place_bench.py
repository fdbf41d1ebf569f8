#!/usr/bin/env python3
"""Benchmarks of issue 12 (docs/interface.md §14), run by bench/addresses.sh and bench/photos.sh.

addresses: writes BENCH_COUNT (default 100,000) addresses in the plain CSV format (street names
  made of Flemish word parts, numbers 1..60), imports them with `kiosk-backend addresses import`,
  starts the service and times GET /api/v1/addresses?q=… for BENCH_QUERIES typed prefixes
  (2 to 20 characters of real rows, some with "str." abbreviations), one keep-alive client.
photos: starts the service and times small GETs (GET /api/v1/config) alone, then while
  BENCH_UPLOADERS clients each upload BENCH_UPLOADS photos of about 10 MB (random-noise PNGs,
  which do not compress) as fast as they can.
Prints a Markdown section and puts it in bench/RESULTS.md between its markers."""
from __future__ import annotations

import collections, json, os, random, statistics, struct, subprocess, sys, tempfile, threading, time, zlib
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from harness import Service  # noqa: E402

STREETS_A = ["Kapelle", "Kerk", "Molen", "Zee", "Duin", "Vis", "Wind", "Vuurtoren", "Haven", "Sint-Jans", "Hoog",
             "Nieuw", "Oud", "Lange", "Korte", "Breed", "Zand", "Beek", "Hof", "Linde", "Eiken", "Berken", "Klooster",
             "Markt", "Brug", "Dijk", "Polder", "Weide", "Velden", "Rozen"]
STREETS_B = ["straat", "laan", "steenweg", "plein", "weg", "dreef", "kaai", "pad"]
SUFFIXES = ["", "-Noord", "-Zuid", " Oost", " West", "hoek", "gat", "berg", "dal", "meers", "wijk", "kant", "veld",
            "hof", "koer", "park", "tuin", "gaarde", "wal", "vest"]


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def write_results(marker, section):
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text()
    start, end = f"<!-- {marker} start -->", f"<!-- {marker} end -->"
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def addresses():
    count = int(os.environ.get("BENCH_COUNT", "100000"))
    queries = int(os.environ.get("BENCH_QUERIES", "2000"))
    rng = random.Random(12)
    work = Path(tempfile.mkdtemp(prefix="kiosk-addresses-bench."))
    csv = work / "addresses.csv"
    streets = sorted({a + b + c for a in STREETS_A for b in STREETS_B for c in SUFFIXES})
    rows = []
    with csv.open("w") as f:
        f.write("street,house_number,box,postcode,municipality,lat,lon,district\n")
        for i in range(count):
            street = streets[i % len(streets)]
            number = 1 + (i // len(streets)) % 60
            box = str(1 + i // (len(streets) * 60)) if i >= len(streets) * 60 else ""
            lat, lon = 51.17 + rng.random() * 0.07, 2.84 + rng.random() * 0.12
            f.write(f"{street},{number},{box},8400,Oostende,{lat:.6f},{lon:.6f},\n")
            rows.append((street, number))
    s = Service(work, extra_config={"limits": {"public_reads_per_minute": 0, "public_per_minute": 0}})
    t0 = time.monotonic()
    out = subprocess.run([os.environ["KIOSK_BIN"], "addresses", "import", str(csv), "--db", str(s.db), "--config", str(s.config)],
                         capture_output=True, text=True, check=True)
    import_s = time.monotonic() - t0
    s.start()
    session = requests.Session()
    typed = []
    for _ in range(queries):
        street, number = rng.choice(rows)
        full = f"{street} {number}"
        text = full[: rng.randint(2, len(full))]
        if rng.random() < 0.2 and "straat" in text:
            text = text.replace("straat", "str.")
        typed.append(text)
    for q in typed[:50]:  # warm-up
        session.get(s.url("/api/v1/addresses"), params={"q": q})
    times, hits = [], 0
    for q in typed:
        t = time.perf_counter()
        r = session.get(s.url("/api/v1/addresses"), params={"q": q})
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text
        hits += bool(r.json()["items"])
    s.stop()
    binary = os.environ["KIOSK_BIN"]
    section = f"""## Address suggestions (bench/addresses.sh)

Command: `{os.environ.get('BENCH_COMMAND', 'bench/addresses.sh')}` with `{binary.replace(str(ROOT) + '/', '')}`,
{time.strftime('%Y-%m-%d')}, on this machine (2 cores shared with other builds: figures are upper bounds).
{count:,} addresses imported in {import_s:.1f} s ({out.stdout.strip()}); {queries:,} typed prefixes
(2 characters to the whole "street number", a fifth with "str." for "straat"), one keep-alive client,
round trip measured by the client; {hits:,} of them had suggestions.

| what | median | p90 | p99 | max |
|---|---|---|---|---|
| GET /api/v1/addresses?q=… | {statistics.median(times):.2f} ms | {percentile(times, 90):.2f} ms | {percentile(times, 99):.2f} ms | {max(times):.2f} ms |
"""
    print(section)
    write_results("bench/addresses.sh", section)


def noise_png(width, height, seed):
    rng = random.Random(seed)
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))


def photos():
    uploaders = int(os.environ.get("BENCH_UPLOADERS", "3"))
    uploads = int(os.environ.get("BENCH_UPLOADS", "3"))
    probes = int(os.environ.get("BENCH_PROBES", "400"))
    work = Path(tempfile.mkdtemp(prefix="kiosk-photos-bench."))
    s = Service(work, extra_config={"limits": {"public_per_minute": 0, "public_reads_per_minute": 0}})
    s.start()
    images = [noise_png(1800, 1900, i) for i in range(uploaders)]
    size = len(images[0])
    assert size <= 10 * 1024 * 1024, size

    def probe_run(n, stop=None):
        session = requests.Session()
        out = []
        for _ in range(n):
            if stop is not None and stop.is_set():
                break
            t = time.perf_counter()
            assert session.get(s.url("/api/v1/config")).status_code == 200
            out.append((time.perf_counter() - t) * 1000)
            time.sleep(0.005)
        return out

    alone = probe_run(probes)
    statuses, durations = [], []
    def uploader(i):
        session = requests.Session()
        for _ in range(uploads):
            sig = session.post(s.url("/api/v1/signals"), json={"kind": "report", "category": "overlast/zwerfvuil",
                                                                 "description": "bench"}).json()
            t = time.perf_counter()
            while True:  # a 503 (the large-body budget is spent) is retried after a pause, as a client would
                r = session.post(s.url(f"/api/v1/signals/{sig['reference']}/photos"), data=images[i],
                                 headers={"Content-Type": "image/png", "X-Status-Key": sig["status_key"]})
                statuses.append(r.status_code)
                if r.status_code != 503:
                    break
                time.sleep(0.2)
            durations.append(time.perf_counter() - t)
    threads = [threading.Thread(target=uploader, args=(i,)) for i in range(uploaders)]
    stop = threading.Event()
    during = []
    prober = threading.Thread(target=lambda: during.extend(probe_run(100_000, stop)))
    prober.start()
    t0 = time.monotonic()
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.monotonic() - t0
    stop.set()
    prober.join()
    s.stop()
    binary = os.environ["KIOSK_BIN"]
    section = f"""## Photo uploads and other requests (bench/photos.sh)

Command: `{os.environ.get('BENCH_COMMAND', 'bench/photos.sh')}` with `{binary.replace(str(ROOT) + '/', '')}`,
{time.strftime('%Y-%m-%d')}, on this machine (2 cores shared with other builds). {uploaders} clients each
uploaded {uploads} photos of {size / 1e6:.1f} MB (1800 × 1900 random-noise PNGs: decoded, stripped, shrunk
and re-encoded by libvips) over {wall:.1f} s; answers {dict(sorted(collections.Counter(statuses).items()))} (a 503 is retried after
0.2 s: large bodies may hold half of `limits.pending_body_bytes`, 16 MiB by default, so one 10 MB body
arrives at a time); time to a 201, retries included: median {statistics.median(durations):.2f} s. Meanwhile one client sent GET /api/v1/config every 5 ms.

| GET /api/v1/config | requests | median | p90 | p99 | max |
|---|---|---|---|---|---|
| alone | {len(alone)} | {statistics.median(alone):.2f} ms | {percentile(alone, 90):.2f} ms | {percentile(alone, 99):.2f} ms | {max(alone):.2f} ms |
| during the uploads | {len(during)} | {statistics.median(during):.2f} ms | {percentile(during, 90):.2f} ms | {percentile(during, 99):.2f} ms | {max(during):.2f} ms |
"""
    print(section)
    write_results("bench/photos.sh", section)


if __name__ == "__main__":
    {"addresses": addresses, "photos": photos}[sys.argv[1]]()
