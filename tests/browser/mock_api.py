#!/usr/bin/env python3
"""A small stand-in for kiosk-backend, for developing and testing the pages.

It speaks the same command line as the real service, so that the browser
tests start either one the same way:

    mock_api.py token create --role kiosk --site stadhuis --name k1 --db DB
    mock_api.py kiosk enrol-code --site stadhuis --name k1 --db DB
    mock_api.py serve --config FILE --db DB --port N [--host 127.0.0.1]

It serves Static/ with the service's URL layout and the Content-Security-Policy
the service will send, and keeps an in-memory model of the endpoints the pages
use (config, session, signals, drafts), written to the DB file (JSON) after
every change so that a restart on the same DB keeps tokens, signals and
idempotency keys. Python standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

STATIC = Path(__file__).resolve().parents[2] / "Static"

PAGES = {
    "/": "index.html",
    "/index.html": "index.html",
    "/kiosk": "kiosk.html",
    "/kiosk/enroll": "kiosk-enroll.html",
    "/desk": "desk.html",
}
MIME = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

KINDS = {"report", "complaint", "suggestion", "compliment"}
CHANNELS = {"web", "kiosk", "counter", "phone", "email", "letter"}
ROLE_CHANNELS = {
    None: {"web"},
    "kiosk": {"kiosk"},
    "desk": {"counter", "email", "letter"},
    "staff": {"web"},
    "agent": {"phone"},
    "coordinator": CHANNELS,
    "admin": CHANNELS,
}
STAFF_ROLES = {"desk", "agent", "staff", "coordinator", "admin"}
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O/1/I
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
MAX_DESCRIPTION = 5000


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str = "", errors=None):
        super().__init__(title)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []

    def document(self) -> dict:
        doc = {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.detail}
        if self.errors:
            doc["errors"] = [{"field": f, "message": m} for f, m in self.errors]
        return doc


class Store:
    """The whole state as one JSON document, saved after each change."""

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.RLock()
        self.data = {"tokens": {}, "signals": {}, "order": [], "idempotency": {}, "drafts": {}}
        if path.exists() and path.stat().st_size:
            self.data.update(json.loads(path.read_text()))

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data))
        os.replace(tmp, self.path)


class Service:
    def __init__(self, config: dict, store: Store):
        self.config = config
        self.store = store
        self.in_flight: set[str] = set()
        kiosk = config.get("kiosk") or {}
        self.draft_minutes = int(kiosk.get("draft_minutes", 30))
        self.categories = {c["key"]: c for c in config["categories"]}
        self.districts = {d["key"] for d in config["districts"]}
        self.sites = {s["key"] for s in config["sites"]}

    # -- public config -------------------------------------------------------
    def public_config(self) -> dict:
        c = self.config
        kiosk = c.get("kiosk") or {}
        return {
            "city": c["city"],
            "time_zone": c["time_zone"],
            "languages": c["languages"],
            "sites": [{"key": s["key"], "name": s["name"], "address": s.get("address", "")} for s in c["sites"]],
            "districts": [{"key": d["key"], "name": d["name"]} for d in c["districts"]],
            "categories": [
                {
                    "key": cat["key"],
                    "name": cat["name"] if isinstance(cat["name"], dict) else {"nl": cat["name"]},
                    "subcategories": [
                        {"key": s["key"], "name": s["name"] if isinstance(s["name"], dict) else {"nl": s["name"]},
                         "external_party": s.get("external_party")}
                        for s in cat.get("subcategories", [])
                    ],
                    "external_party": cat.get("external_party"),
                }
                for cat in c["categories"]
            ],
            "external_parties": c.get("external_parties", []),
            "contact": c.get("contact")
            or {"name": "O-punt", "phone": c.get("phone_line", {}).get("number", ""), "email": "", "url": "", "address": ""},
            "kiosk": {
                "idle_seconds": int(kiosk.get("idle_seconds", 120)),
                "idle_warning_seconds": int(kiosk.get("idle_warning_seconds", 30)),
                "confirmation_seconds": int(kiosk.get("confirmation_seconds", 60)),
            },
        }

    # -- credentials ---------------------------------------------------------
    def caller(self, headers) -> dict | None:
        auth = headers.get("Authorization", "")
        if not auth:
            return None
        if not auth.startswith("Bearer "):
            raise Problem(401, "Unauthorized", "Use a Bearer token")
        tok = self.store.data["tokens"].get(token_hash(auth[7:].strip()))
        if not tok:
            raise Problem(401, "Unauthorized", "Unknown token")
        return tok

    # -- signals ---------------------------------------------------------------
    def validate_signal(self, body, channel: str, extra_fields=()) -> list:
        if not isinstance(body, dict):
            raise Problem(400, "Bad request", "The body must be a JSON object")
        errors = []
        allowed = {"kind", "channel", "reporter", "category", "district", "address", "lat", "lon", "description",
                   "experience_score", "contact", "consent_forward", "site", "received_at", *extra_fields}
        for key in body:
            if key not in allowed:
                errors.append((key, "is not a known field"))
        if body.get("kind") not in KINDS:
            errors.append(("kind", "must be report, complaint, suggestion or compliment"))
        cat = body.get("category")
        if not isinstance(cat, str) or not cat:
            errors.append(("category", "is required"))
        else:
            main, _, sub = cat.partition("/")
            c = self.categories.get(main)
            if not c or (sub and sub not in {s["key"] for s in c.get("subcategories", [])}):
                errors.append(("category", "is not a known category"))
        desc = body.get("description")
        if not isinstance(desc, str) or not desc.strip():
            errors.append(("description", "is required"))
        elif len(desc) > MAX_DESCRIPTION:
            errors.append(("description", f"must be at most {MAX_DESCRIPTION} characters"))
        if body.get("address") is not None and (not isinstance(body["address"], str) or len(body["address"]) > 300):
            errors.append(("address", "must be text of at most 300 characters"))
        if body.get("district") not in (None, "") and body.get("district") not in self.districts:
            errors.append(("district", "is not a known district"))
        score = body.get("experience_score")
        if score is not None:
            if channel not in ("web", "kiosk"):
                errors.append(("experience_score", "is accepted only on web and kiosk"))
            elif not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
                errors.append(("experience_score", "must be 1 to 5"))
        contact = body.get("contact")
        if contact is not None:
            if not isinstance(contact, dict):
                errors.append(("contact", "must be an object"))
            else:
                email = contact.get("email") or ""
                if email and not EMAIL.match(email):
                    errors.append(("contact.email", "is not an e-mail address"))
                phone = contact.get("phone") or ""
                if phone and not re.fullmatch(r"\+?[0-9 ()./-]{6,25}", phone):
                    errors.append(("contact.phone", "is not a phone number"))
                lang = contact.get("language")
                if lang not in (None, "") and lang not in self.config["languages"]:
                    errors.append(("contact.language", "is not a supported language"))
        cf = body.get("consent_forward")
        if cf is not None and not isinstance(cf, bool):
            errors.append(("consent_forward", "must be true or false"))
        return errors

    def new_reference(self) -> str:
        while True:
            ref = "OP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) + "-" + "".join(
                secrets.choice(CODE_ALPHABET) for _ in range(4))
            if ref not in self.store.data["signals"]:
                return ref

    def store_signal(self, body: dict, channel: str, site, reporter="citizen", assisted=False) -> dict:
        ref = self.new_reference()
        signal = {
            "reference": ref,
            "kind": body["kind"],
            "channel": channel,
            "site": site,
            "reporter": reporter,
            "category": body["category"],
            "district": body.get("district") or None,
            "address": body.get("address") or None,
            "description": body["description"],
            "experience_score": body.get("experience_score"),
            "contact": body.get("contact"),
            "consent_forward": body.get("consent_forward"),
            "assisted": assisted,
            "status": "received",
            "route": None,
            "nature": None,
            "received_at": now(),
        }
        self.store.data["signals"][ref] = signal
        self.store.data["order"].append(ref)
        return signal

    def create_signal(self, caller, body) -> tuple[int, dict]:
        role = caller["role"] if caller else None
        allowed = ROLE_CHANNELS.get(role)
        if allowed is None:
            raise Problem(403, "Forbidden", "This role may not create signals")
        if not isinstance(body, dict):
            raise Problem(400, "Bad request", "The body must be a JSON object")
        channel = body.get("channel")
        if channel is None:
            channel = {"kiosk": "kiosk", "desk": "counter"}.get(role, "web")
        if channel not in CHANNELS:
            raise Problem(422, "Invalid signal", "1 field is invalid", [("channel", "is not a known channel")])
        if channel not in allowed:
            raise Problem(403, "Forbidden", f"A {role or 'public'} caller may not create channel {channel}")
        errors = self.validate_signal(body, channel)
        if errors:
            raise Problem(422, "Invalid signal", f"{len(errors)} fields are invalid", errors)
        if role in ("kiosk", "desk"):
            site = caller["site"]  # derived from the credential, never from the body
        elif role is None:
            site = None
        else:
            site = body.get("site")
        return 201, self.store_signal(body, channel, site, reporter="citizen")

    # -- drafts ------------------------------------------------------------------
    def live_draft(self, code: str, caller) -> dict:
        d = self.store.data["drafts"].get(code.upper())
        if not d or d["site"] != caller.get("site") or d["expires_at"] < now() or d.get("submitted"):
            raise Problem(404, "Not found", "No draft with this code at this site")
        return d

    def create_draft(self, caller, body) -> tuple[int, dict]:
        if not caller or caller["role"] != "kiosk":
            raise Problem(403 if caller else 401, "Forbidden", "Only a kiosk creates drafts")
        if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
            raise Problem(400, "Bad request", "answers must be an object")
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
            if code not in self.store.data["drafts"]:
                break
        created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        expires = created + dt.timedelta(minutes=self.draft_minutes)
        draft = {
            "code": code,
            "site": caller["site"],
            "language": body.get("language") or "nl",
            "answers": body.get("answers") or {},
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "expires_at": expires.isoformat().replace("+00:00", "Z"),
        }
        self.store.data["drafts"][code] = draft
        return 201, {"code": code, "expires_at": draft["expires_at"]}

    def submit_draft(self, caller, code, body) -> tuple[int, dict]:
        if not caller or caller["role"] != "desk":
            raise Problem(403 if caller else 401, "Forbidden", "Only a desk finishes drafts")
        draft = self.live_draft(code, caller)
        if not isinstance(body, dict):
            raise Problem(400, "Bad request", "The body must be a JSON object")
        if body.get("channel") not in (None, "kiosk"):
            raise Problem(422, "Invalid signal", "1 field is invalid", [("channel", "a draft stays a kiosk signal")])
        errors = self.validate_signal(body, "kiosk")
        if errors:
            raise Problem(422, "Invalid signal", f"{len(errors)} fields are invalid", errors)
        draft["submitted"] = True
        return 201, self.store_signal(body, "kiosk", draft["site"], assisted=True)

    # -- dispatch ----------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict, headers, body_bytes: bytes, client: str):
        if path == "/healthz":
            return 200, {"status": "ok"}
        if not path.startswith("/api/v1/"):
            raise Problem(404, "Not found")
        with self.store.lock:
            caller = self.caller(headers)
        body = None
        if method in ("POST", "PATCH"):
            try:
                body = json.loads(body_bytes or b"null")
            except ValueError:
                raise Problem(400, "Bad request", "The body is not JSON")
        parts = path[len("/api/v1/"):].strip("/").split("/")
        if parts == ["config"] and method == "GET":
            return 200, self.public_config()
        if parts == ["session"] and method == "GET":
            if not caller:
                raise Problem(401, "Unauthorized", "A token is needed")
            return 200, {"role": caller["role"], "name": caller["name"], "site": caller.get("site")}
        if parts == ["signals"] and method == "POST":
            return self.idempotent(caller, headers, body, client, lambda: self.create_signal(caller, body))
        if parts == ["signals"] and method == "GET":
            self.require_staff(caller)
            items = [self.store.data["signals"][r] for r in self.store.data["order"]]
            if query.get("channel"):
                items = [s for s in items if s["channel"] in query["channel"][0].split(",")]
            limit = min(int(query.get("limit", ["50"])[0]), 500)
            return 200, {"items": items[-limit:][::-1], "next_cursor": None}
        if len(parts) == 2 and parts[0] == "signals" and method == "GET":
            self.require_staff(caller)
            signal = self.store.data["signals"].get(parts[1])
            if not signal:
                raise Problem(404, "Not found", "No signal with this reference")
            return 200, signal
        if parts == ["kiosk", "enrolment"] and method == "POST":
            return self.enrol(body)
        if parts == ["drafts"] and method == "POST":
            with self.store.lock:
                result = self.create_draft(caller, body)
                self.store.save()
            return result
        if len(parts) == 2 and parts[0] == "drafts" and method == "GET":
            if not caller or caller["role"] != "desk":
                raise Problem(403 if caller else 401, "Forbidden", "Only a desk reads drafts")
            with self.store.lock:
                d = dict(self.live_draft(parts[1], caller))
            d.pop("submitted", None)
            return 200, d
        if len(parts) == 3 and parts[0] == "drafts" and parts[2] == "submit" and method == "POST":
            return self.idempotent(caller, headers, body, client, lambda: self.submit_draft(caller, parts[1], body))
        raise Problem(404, "Not found", "No such endpoint")

    def enrol(self, body):
        """Exchanges a one-time code (made by `kiosk enrol-code`, kept beside the DB file) for a kiosk token."""
        code = body.get("code") if isinstance(body, dict) else None
        if not isinstance(code, str):
            raise Problem(422, "Invalid enrolment", "1 field is invalid", [("code", "is required")])
        normalized = code.upper().replace("-", "").replace(" ", "")
        with self.store.lock:
            codes_file = codes_path(self.store.path)
            codes = json.loads(codes_file.read_text()) if codes_file.exists() else {}
            entry = codes.get(normalized)
            if not entry or entry.get("used") or entry["expires"] < time.time():
                raise Problem(404, "Not found", "This enrolment code is unknown, expired or already used.")
            entry["used"] = True
            codes_file.write_text(json.dumps(codes))
            token = secrets.token_urlsafe(24)
            h = token_hash(token)
            self.store.data["tokens"][h] = {"role": "kiosk", "name": entry["name"], "site": entry["site"], "hash": h}
            self.store.save()
        return 200, {"token": token, "site": entry["site"]}

    def require_staff(self, caller) -> None:
        if not caller:
            raise Problem(401, "Unauthorized", "A token is needed")
        if caller["role"] not in STAFF_ROLES:
            raise Problem(403, "Forbidden", "Staff only")

    def idempotent(self, caller, headers, body, client, create):
        key = headers.get("Idempotency-Key")
        if not key:
            with self.store.lock:
                status, doc = create()
                self.store.save()
            return status, doc
        scope = (caller or {}).get("hash") or "public:" + client
        slot = scope + "|" + key
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self.store.lock:
            seen = self.store.data["idempotency"].get(slot)
            if seen:
                if seen["digest"] != digest:
                    raise Problem(422, "Idempotency-Key reused", "This key was used with another body",
                                  [("Idempotency-Key", "was used with another body")])
                return seen["status"], seen["body"]
            if slot in self.in_flight:
                raise Problem(409, "Request in progress", "The first request with this key is still being handled")
            self.in_flight.add(slot)
        try:
            delay = float(os.environ.get("MOCK_CREATE_DELAY", "0"))
            if delay:
                time.sleep(delay)
            with self.store.lock:
                status, doc = create()
                self.store.data["idempotency"][slot] = {"digest": digest, "status": status, "body": doc}
                self.store.save()
            return status, doc
        finally:
            with self.store.lock:
                self.in_flight.discard(slot)


def make_handler(service: Service):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kiosk-mock/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: tokens may be in URLs
            if os.environ.get("MOCK_LOG"):
                sys.stderr.write("mock: " + (fmt % args) + "\n")

        def send(self, status: int, payload: bytes, ctype: str, extra=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            for k, v in {**SECURITY_HEADERS, **(extra or {})}.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def send_json(self, status: int, doc, problem=False):
            ctype = "application/problem+json" if problem else "application/json"
            self.send(status, json.dumps(doc).encode(), ctype)

        def serve_static(self, path: str) -> bool:
            name = PAGES.get(path)
            if name:
                file = STATIC / name
            elif path.startswith("/assets/"):
                rel = unquote(path[1:])
                if ".." in rel.split("/") or "\\" in rel:
                    return False
                file = STATIC / rel
            else:
                return False
            if not file.is_file():
                return False
            self.send(200, file.read_bytes(), MIME.get(file.suffix, "application/octet-stream"))
            return True

        def dispatch(self):
            url = urlsplit(self.path)
            path = url.path
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                if self.command in ("GET", "HEAD") and not path.startswith("/api/") and path != "/healthz":
                    if not self.serve_static(path):
                        self.send(404, b"Not found", "text/plain; charset=utf-8")
                    return
                status, doc = service.handle(self.command, path, parse_qs(url.query), self.headers, body,
                                             self.client_address[0])
                self.send_json(status, doc)
            except Problem as p:
                self.send_json(p.status, p.document(), problem=True)

        do_GET = do_POST = do_PATCH = do_HEAD = dispatch

    return Handler


def cmd_token(args) -> None:
    store = Store(Path(args.db))
    token = secrets.token_urlsafe(24)
    h = token_hash(token)
    store.data["tokens"][h] = {"role": args.role, "name": args.name, "site": args.site, "hash": h}
    store.save()
    print(token)


def codes_path(db: Path) -> Path:
    return db.with_name(db.name + ".enrol-codes.json")


def cmd_enrol_code(args) -> None:
    db = Path(args.db)
    path = codes_path(db)
    codes = json.loads(path.read_text()) if path.exists() else {}
    code = "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(8))
    codes[code] = {"site": args.site, "name": args.name, "expires": time.time() + 15 * 60, "used": False}
    path.write_text(json.dumps(codes))
    print(code[:4] + "-" + code[4:])


def cmd_serve(args) -> None:
    config = json.loads(Path(args.config).read_text())
    store = Store(Path(args.db))
    service = Service(config, store)
    ThreadingHTTPServer.allow_reuse_address = True
    httpd = ThreadingHTTPServer((args.host, args.port), make_handler(service))
    httpd.daemon_threads = True
    print(f"kiosk mock listening on http://{args.host}:{args.port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main(argv=None) -> None:
    here = Path(__file__).resolve().parent
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--config", default=str(here / "mock_config.json"))
    serve.add_argument("--db", default=str(here / ".mock-db.json"))
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--host", default="127.0.0.1")
    serve.set_defaults(func=cmd_serve)
    token = sub.add_parser("token")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create")
    create.add_argument("--role", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--site")
    create.add_argument("--db", required=True)
    create.set_defaults(func=cmd_token)
    kiosk = sub.add_parser("kiosk")
    ksub = kiosk.add_subparsers(dest="kiosk_command", required=True)
    enrol = ksub.add_parser("enrol-code")
    enrol.add_argument("--site", required=True)
    enrol.add_argument("--name", required=True)
    enrol.add_argument("--db", required=True)
    enrol.add_argument("--config")
    enrol.set_defaults(func=cmd_enrol_code)
    args = p.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
