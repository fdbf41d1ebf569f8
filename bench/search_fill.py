#!/usr/bin/env python3
"""Fills a migrated kiosk-backend database with N signals for bench/search.sh, in one SQL statement
per batch (a recursive CTE picks words, streets and kinds from small tables by the row number), so a
million rows take a minute or two; the service's own triggers keep the full-text index in step.

Descriptions are three to six words out of a list of about 60 words of what O-punt hears, so a
common word ("zwerfvuil") matches about a tenth of the signals and a rare pair few; addresses are
one of 40 streets with a house number; references are unique (`OP-S` and a counter).

usage: search_fill.py DB [--count 1000000]
"""
import argparse
from filldb import close_after_fill, open_for_fill
import time

WORDS = """zwerfvuil sluikstort hondenpoep lawaai graffiti straatverlichting voetpad fietspad parkeren bushalte
put riool boom haag gras speelplein bank vuilbak glasbak container bouwwerf werken geluid geur rook water
overstroming wateroverlast verkeer snelheid drempel zebrapad kruispunt signalisatie bord paal lamp defect
kapot gevaarlijk vuil afval karton plastic rommel ratten duiven meeuwen strand dijk zand wind lawaaierig
nacht ochtend weekend school markt kerk station haven café""".split()
STREETS = """Kapellestraat Wellingtonstraat Vindictivelaan Leopold-II-laan Koningstraat Christinastraat
Torhoutsesteenweg Nieuwpoortsesteenweg Elisabethlaan Albert-I-promenade Zeedijk Vrijhavenstraat Hendrik-Serruyslaan
Kerkstraat Adolf-Buylstraat Vlaanderenstraat Stockholmstraat Nijverheidsstraat Prinses-Clementinalaan Mercatorlaan
Visserskaai Langestraat Sint-Sebastiaansstraat Ooststraat Witte-Nonnenstraat Frère-Orbanstraat Louisastraat
Marie-Joséplein Petunialaan Stuiverstraat Zandvoordestraat Gistelsesteenweg Steensedijk Duinenstraat Schorredijk
Mariakerkelaan Edith-Cavellstraat Rogierlaan Léopold-Sterckxstraat Dorpsstraat""".split()
KINDS = ["report"] * 11 + ["complaint"] * 5 + ["suggestion"] * 2 + ["compliment"] * 2
DAY = 86_400_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--count", type=int, default=1_000_000)
    args = ap.parse_args()
    db = open_for_fill(args.db)
    for name, values in (("w", WORDS), ("s", STREETS), ("k", KINDS)):
        db.execute(f"CREATE TEMP TABLE {name}(i INTEGER PRIMARY KEY, v TEXT)")
        db.executemany(f"INSERT INTO {name}(i, v) VALUES (?, ?)", list(enumerate(values)))
    nw, ns, nk = len(WORDS), len(STREETS), len(KINDS)
    start = 1_600_000_000_000  # September 2020; a signal every ~2 minutes up to 2024
    started = time.monotonic()
    batch = 50_000
    for first in range(0, args.count, batch):
        n = min(batch, args.count - first)
        # A multiplicative hash of the row number picks each word: spread, repeatable, no Python loop.
        db.execute(f"""
            WITH RECURSIVE r(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM r WHERE n < {first + n - 1}),
            h(n, a, b, c, d, e) AS (SELECT n, (n * 2654435761) % 1000003, (n * 40503) % 999983, (n * 9973) % 99991,
                                           (n * 7919) % 65521, (n * 104729) % 1000033 FROM r)
            INSERT INTO signal (reference, kind, channel, reporter, category, main_category, address, description,
                                received_at, status, created_by, updated_at, due_at)
            SELECT printf('OP-S%08d', n),
                   (SELECT v FROM k WHERE i = e % {nk}),
                   'web', 'citizen', 'overlast/zwerfvuil', 'overlast',
                   (SELECT v FROM s WHERE i = b % {ns}) || ' ' || (1 + c % 180),
                   (SELECT v FROM w WHERE i = a % {nw}) || ' ' || (SELECT v FROM w WHERE i = b % {nw}) || ' '
                     || (SELECT v FROM w WHERE i = c % {nw}) || ' aan de ' || (SELECT v FROM w WHERE i = d % {nw})
                     || CASE WHEN e % 2 = 0 THEN ' ' || (SELECT v FROM w WHERE i = (a + d) % {nw}) ELSE '' END,
                   {start} + n * 120000,
                   CASE WHEN n % 10 < 7 THEN 'closed' WHEN n % 10 < 8 THEN 'answered' WHEN n % 10 < 9 THEN 'in_progress' ELSE 'received' END,
                   'bench', {start} + n * 120000, {start} + n * 120000 + 30 * {DAY}
            FROM h
            """)
        db.commit()
    t_fill = time.monotonic() - started
    close_after_fill(db)
    print(f"filled {args.count} signals (with the full-text index) in {t_fill:.1f} s")


if __name__ == "__main__":
    main()
