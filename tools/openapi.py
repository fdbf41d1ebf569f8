#!/usr/bin/env python3
"""Writes Sources/KioskBackend/Resources/openapi.json, the OpenAPI 3.1 document the
service serves at /openapi.json. Edit this file, run it, commit both; a test
(KioskBackendTests.OpenAPITests) checks that the document and the routes agree."""
import json, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Sources/KioskBackend/Resources/openapi.json"

KINDS = ["report", "complaint", "suggestion", "compliment"]
CHANNELS = ["web", "kiosk", "counter", "phone", "email", "letter"]
REPORTERS = ["citizen", "staff"]
STATUSES = ["received", "in_progress", "answered", "closed"]
ROUTES = ["opunt", "special_procedure", "external"]
NATURES = ["service", "policy", "combination", "undetermined"]

def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}

def problem(desc):
    return {"description": desc, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}

def json_body(ref, desc="OK"):
    return {"description": desc, "content": {"application/json": {"schema": {"$ref": ref} if isinstance(ref, str) else ref}}}

ERRS = {
    "400": problem("The body is not the JSON it should be."),
    "401": problem("No valid bearer token."),
    "403": problem("The caller's role may not do this (CONTRACT 3)."),
    "404": problem("Not found."),
    "413": problem("The body is larger than the limit."),
    "422": problem("Rule breaks: every invalid field is listed in `errors`."),
    "429": problem("Too many requests from this address; see Retry-After."),
}

def errs(*codes):
    return {c: ERRS[c] for c in codes}

timestamp = {"type": "string", "format": "date-time"}
day = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "A day in the city's time zone."}

schemas = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
                       "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
        },
    },
    "Contact": {
        "type": "object", "additionalProperties": False,
        "properties": {
            "name": nullable({"type": "string", "maxLength": 200}),
            "email": nullable({"type": "string", "maxLength": 254}),
            "phone": nullable({"type": "string", "maxLength": 40}),
            "language": nullable({"type": "string"}),
        },
    },
    "NewSignal": {
        "type": "object", "additionalProperties": False, "required": ["kind", "category", "description"],
        "description": "Channel, site and reporter default from the caller's token (CONTRACT 3).",
        "properties": {
            "kind": {"type": "string", "enum": KINDS},
            "channel": {"type": "string", "enum": CHANNELS},
            "site": {"type": "string", "description": "Required for kiosk and counter when the token is not bound to a site."},
            "reporter": {"type": "string", "enum": REPORTERS},
            "category": {"type": "string", "description": "`main` or `main/sub` key from GET /api/v1/config."},
            "district": {"type": "string"},
            "address": {"type": "string", "maxLength": 300},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "description": {"type": "string", "minLength": 1, "maxLength": 5000},
            "experience_score": {"type": "integer", "minimum": 1, "maximum": 5,
                                  "description": "Only on channels web and kiosk with reporter citizen."},
            "contact": {"$ref": "#/components/schemas/Contact"},
            "consent_forward": {"type": "boolean"},
            "received_at": {**timestamp, "description": "Coordinator or admin only."},
        },
    },
    "Signal": {
        "type": "object",
        "required": ["reference", "kind", "channel", "site", "reporter", "category", "district", "status",
                     "route", "nature", "received_at"],
        "properties": {
            "reference": {"type": "string", "maxLength": 16, "examples": ["OP-7K3M-Q9TX"]},
            "kind": {"type": "string", "enum": KINDS},
            "channel": {"type": "string", "enum": CHANNELS},
            "site": nullable({"type": "string"}),
            "reporter": {"type": "string", "enum": REPORTERS},
            "category": {"type": "string"},
            "main_category": {"type": "string"},
            "district": nullable({"type": "string"}),
            "address": nullable({"type": "string"}),
            "lat": nullable({"type": "number"}),
            "lon": nullable({"type": "number"}),
            "description": {"type": "string"},
            "experience_score": nullable({"type": "integer", "minimum": 1, "maximum": 5}),
            "contact": nullable({"$ref": "#/components/schemas/Contact"}),
            "consent_forward": nullable({"type": "boolean"}),
            "received_at": timestamp,
            "assisted": {"type": "boolean"},
            "status": {"type": "string", "enum": STATUSES},
            "route": nullable({"type": "string", "enum": ROUTES}),
            "department": nullable({"type": "string"}),
            "special_procedure": nullable({"type": "string"}),
            "external_party": nullable({"type": "string"}),
            "nature": nullable({"type": "string", "enum": NATURES}),
            "answer": nullable({"type": "string"}),
            "answered_at": nullable(timestamp),
            "closed_at": nullable(timestamp),
            "ombuds_referred_at": nullable(timestamp),
            "updated_at": timestamp,
        },
    },
    "SignalPage": {
        "type": "object", "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Signal"}},
                       "next_cursor": nullable({"type": "string"})},
    },
    "Session": {
        "type": "object", "required": ["role", "name", "site"],
        "properties": {"role": {"type": "string"}, "name": {"type": "string"}, "site": nullable({"type": "string"})},
    },
    "PublicConfig": {
        "type": "object",
        "required": ["city", "time_zone", "languages", "sites", "districts", "categories", "external_parties", "contact", "ombudsman", "kiosk"],
        "properties": {
            "city": {"type": "string"}, "time_zone": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "sites": {"type": "array", "items": {"type": "object"}},
            "districts": {"type": "array", "items": {"type": "object"}},
            "categories": {"type": "array", "items": {"type": "object"}},
            "external_parties": {"type": "array", "items": {"type": "object"}},
            "contact": {"type": "object"}, "ombudsman": {"type": "object"},
            "phone_line": {"type": "string"}, "kiosk": {"type": "object"},
        },
    },
    "NewDraft": {
        "type": "object", "additionalProperties": False, "required": ["answers"],
        "properties": {"answers": {"type": "object"}, "language": {"type": "string"}},
    },
    "DraftCode": {
        "type": "object", "required": ["code", "expires_at"],
        "properties": {"code": {"type": "string"}, "expires_at": timestamp},
    },
    "Draft": {
        "type": "object", "required": ["code", "site", "language", "answers", "created_at", "expires_at"],
        "properties": {"code": {"type": "string"}, "site": {"type": "string"}, "language": {"type": "string"},
                       "answers": {"type": "object"}, "created_at": timestamp, "expires_at": timestamp},
    },
}

bearer = [{"bearer": []}]
idem = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 255},
        "description": "A retry with the same key and body returns the first answer and creates nothing new."}

def page(summary):
    return {"get": {"summary": summary, "tags": ["pages"],
                    "responses": {"200": {"description": "An HTML page.", "content": {"text/html": {"schema": {"type": "string"}}}}}}}

def q(name, schema, desc=None):
    p = {"name": name, "in": "query", "required": False, "schema": schema}
    if desc: p["description"] = desc
    return p

paths = {
    "/healthz": {"get": {"summary": "Answers 200 once the service accepts work.", "tags": ["system"],
                          "responses": {"200": json_body({"type": "object", "properties": {"status": {"type": "string"}}})}}},
    "/openapi.json": {"get": {"summary": "This document.", "tags": ["system"],
                               "responses": {"200": json_body({"type": "object"})}}},
    "/api/v1/config": {"get": {"summary": "What the forms need from the city's config (public).", "tags": ["system"],
                                "responses": {"200": json_body("#/components/schemas/PublicConfig")}}},
    "/api/v1/session": {"get": {"summary": "The role, name and site of the presented token.", "tags": ["system"],
                                 "security": bearer,
                                 "responses": {"200": json_body("#/components/schemas/Session"), **errs("401")}}},
    "/api/v1/signals": {
        "post": {"summary": "File a signal. Channel, site and reporter come from the token (CONTRACT 3).",
                 "tags": ["signals"], "security": [{}, {"bearer": []}], "parameters": [idem],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSignal"}}}},
                 "responses": {"201": json_body("#/components/schemas/Signal", "Stored; answered only after the commit."),
                               **errs("400", "401", "403", "413", "422", "429")}},
        "get": {"summary": "List signals, newest first, with cursor paging.", "tags": ["signals"], "security": bearer,
                "parameters": [q("from", day), q("to", day),
                               q("channel", {"type": "string"}, "Comma list of channels."),
                               q("status", {"type": "string"}, "Comma list of statuses."),
                               q("kind", {"type": "string"}, "Comma list of kinds."),
                               q("reporter", {"type": "string"}), q("site", {"type": "string"}),
                               q("district", {"type": "string"}), q("category", {"type": "string"}),
                               q("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}),
                               q("cursor", {"type": "string"})],
                "responses": {"200": json_body("#/components/schemas/SignalPage"), **errs("401", "403", "422")}},
    },
    "/api/v1/signals/{reference}": {
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"summary": "One signal.", "tags": ["signals"], "security": bearer,
                "responses": {"200": json_body("#/components/schemas/Signal"), **errs("401", "403", "404")}},
    },
    "/api/v1/drafts": {
        "post": {"summary": "Save a half-filled kiosk form for the desk (kiosk token).", "tags": ["drafts"], "security": bearer,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewDraft"}}}},
                 "responses": {"201": json_body("#/components/schemas/DraftCode", "Saved."), **errs("400", "401", "403", "413", "422")}},
    },
    "/api/v1/drafts/{code}": {
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {"summary": "Open a draft (desk of the same site).", "tags": ["drafts"], "security": bearer,
                "responses": {"200": json_body("#/components/schemas/Draft"), **errs("401", "403", "404")}},
    },
    "/api/v1/drafts/{code}/submit": {
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}, idem],
        "post": {"summary": "Finish a draft: a kiosk signal of the draft's site, marked assisted.", "tags": ["drafts"],
                 "security": bearer,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSignal"}}}},
                 "responses": {"201": json_body("#/components/schemas/Signal", "Stored."),
                               "409": problem("The draft was already submitted."),
                               **errs("400", "401", "403", "404", "413", "422")}},
    },
    "/metrics": {"get": {"summary": "Prometheus text format: requests, latency, signals by channel, calls by state, database size (admin).",
                          "tags": ["system"], "security": bearer,
                          "responses": {"200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                                        **errs("401", "403")}}},
    "/": page("The website form."),
    "/kiosk": page("The counter kiosk."),
    "/kiosk/enroll": page("Enrols a kiosk device: /kiosk/enroll?token=KIOSK_TOKEN."),
    "/desk": page("The desk page."),
    "/agent": page("The 0800 agent console."),
    "/backoffice": page("The back office."),
    "/reports": page("The annual report."),
    "/assets/{path}": {"get": {"summary": "Scripts, styles and texts of the pages (up to four path segments).", "tags": ["pages"],
                                "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}],
                                "responses": {"200": {"description": "A file."}, **errs("404")}}},
}

doc = {
    "openapi": "3.1.0",
    "info": {"title": "kiosk-backend", "version": "1.0.0",
             "description": "Intake of citizen signals (reports, complaints, suggestions, compliments) for a city's "
                            "single channel: website form, counter kiosks, desks, the 0800 line. See CONTRACT.md."},
    "servers": [{"url": "/"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
    "paths": paths,
}

if __name__ == "__main__":
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
