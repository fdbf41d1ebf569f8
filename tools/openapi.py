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
COMPLAINT_OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "inadmissible"]

def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}

def problem(desc):
    return {"description": desc, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}

def json_body(ref, desc="OK"):
    return {"description": desc, "content": {"application/json": {"schema": {"$ref": ref} if isinstance(ref, str) else ref}}}

ERRS = {
    "400": problem("The body is not the JSON it should be."),
    "401": problem("No valid bearer token."),
    "403": problem("The caller's role may not do this (docs/interface.md §3)."),
    "404": problem("Not found."),
    "413": problem("The body is larger than the limit."),
    "415": problem("The body is not sent as `application/json`."),
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
            "postal_address": nullable({"type": "string", "maxLength": 300,
                                        "description": "Where a reply by post goes (docs/interface.md §4): lines separated by `\\n` "
                                                       "(CR LF and CR become LF; blank lines and spaces around lines go), "
                                                       "at most 6 lines of 60 characters, 300 characters and 1200 bytes in all, "
                                                       "no control characters but line breaks. Personal data like the rest of `contact`."}),
        },
    },
    "NewSignal": {
        "type": "object", "additionalProperties": False, "required": ["kind", "category", "description"],
        "description": "Channel, site and reporter default from the caller's token (docs/interface.md §3).",
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
            "received_at": {**timestamp, "description": "Coordinator or admin (any past instant); a desk on letter and "
                                                        "email signals only (the date on the letter), not in the future and "
                                                        "at most 90 days back. Anyone else: 403."},
            "same_as": {"type": "string", "maxLength": 40,
                        "description": "\"Mine is the same\": the reference of an earlier signal (docs/interface.md §14); "
                                       "an unknown one is 422."},
            "photos_public": {"type": "boolean", "default": False,
                              "description": "The reporter agrees that the photos may be shown publicly (Open311's media_url)."},
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
            "personal_data_withheld": {
                "type": "boolean",
                "description": "True when the caller may not see this signal's personal data (docs/interface.md §3: coordinator "
                               "and admin always; a desk for its own site or what it registered; an agent for phone "
                               "signals): contact is then null and the description has no photo link."},
            "consent_forward": nullable({"type": "boolean"}),
            "received_at": timestamp,
            "assisted": {"type": "boolean"},
            "status": {"type": "string", "enum": STATUSES},
            "route": nullable({"type": "string", "enum": ROUTES}),
            "department": nullable({"type": "string"}),
            "special_procedure": nullable({"type": "string"}),
            "external_party": nullable({"type": "string"}),
            "nature": nullable({"type": "string", "enum": NATURES}),
            "outcome": nullable({"type": "string", "enum": COMPLAINT_OUTCOMES,
                                 "description": "A complaint's outcome, recorded when it is answered."}),
            "answer": nullable({"type": "string"}),
            "answered_at": nullable(timestamp),
            "closed_at": nullable(timestamp),
            "ombuds_referred_at": nullable(timestamp),
            "updated_at": timestamp,
            "same_as": nullable({"type": "string", "description": "The earlier signal this one repeats (docs/interface.md §14)."}),
            "photos_public": {"type": "boolean"},
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
        "required": ["city", "city_names", "time_zone", "languages", "sites", "districts", "categories", "external_parties", "contact", "ombudsman", "kiosk"],
        "properties": {
            "city": {"type": "string", "description": "The city's official (Dutch) name."},
            "city_names": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "The city's name in every language of `languages` (the config's `city_names`, "
                                          "`city` where it has none)."},
            "time_zone": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "sites": {"type": "array", "items": {"type": "object"}},
            "districts": {"type": "array", "items": {"type": "object"}},
            "departments": {"type": "array", "items": {"type": "object", "required": ["key", "name"],
                            "properties": {"key": {"type": "string"}, "name": {"type": "object"}}},
                            "description": "Key and name of each department (no addresses), to name a signal's department."},
            "categories": {"type": "array", "items": {"type": "object"}},
            "external_parties": {"type": "array", "items": {"type": "object"}},
            "contact": {"type": "object"}, "ombudsman": {"type": "object"},
            "phone_line": {"type": "string"}, "kiosk": {"type": "object"},
            "map": nullable({"type": "object", "required": ["tile_url", "attribution", "center"],
                             "properties": {"tile_url": {"type": "string"}, "attribution": {"type": "string"},
                                            "center": nullable({"type": "object", "required": ["lat", "lon"],
                                                                "description": "Where the map opens without a point: `map.center` "
                                                                               "of the config, else the middle of the districts' areas; "
                                                                               "null when the config has neither.",
                                                                "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}})}}),
            "nearby": {"type": "object", "properties": {"distance_m": {"type": "integer"}, "days": {"type": "integer"}}},
            "rules": {"type": "object", "required": ["max_length", "email_pattern", "phone_pattern", "phone_min_digits"],
                      "description": "The rules of a new signal's texts, as the service checks them (422), for the forms to "
                                     "check before sending: the longest texts in characters by field, and the e-mail and phone "
                                     "patterns (matched against the whole text; a phone number also needs `phone_min_digits` digits).",
                      "properties": {"max_length": {"type": "object", "additionalProperties": {"type": "integer"}},
                                     "email_pattern": {"type": "string"}, "phone_pattern": {"type": "string"},
                                     "phone_min_digits": {"type": "integer"}}},
            "photos": {"type": "object", "properties": {"max_per_signal": {"type": "integer"}, "max_bytes": {"type": "integer"},
                                                        "media_types": {"type": "array", "items": {"type": "string"}}}},
            "link_base": nullable({"type": "string", "description": "The base of the links the service hands out, such as "
                                   "the status link on a kiosk receipt: `mail.public_url`, else `public_url`, else the "
                                   "address the service listens on."}),
        },
    },
    "NewDraft": {
        "type": "object", "additionalProperties": False, "required": ["answers"],
        "properties": {"answers": {"type": "object"}, "language": {"type": "string"}},
    },
    "EnrolmentRequest": {
        "type": "object", "additionalProperties": False, "required": ["code"],
        "properties": {"code": {"type": "string", "maxLength": 40,
                                "description": "The one-time code from `kiosk-backend kiosk enrol-code` (ABCD-EFGH; "
                                               "case, spaces and the dash do not matter)."}},
    },
    "EnrolmentGrant": {
        "type": "object", "required": ["token", "site"],
        "properties": {"token": {"type": "string", "description": "The device's kiosk bearer token; keep it on the device only."},
                       "site": {"type": "string"}},
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
        "post": {"summary": "File a signal. Channel, site and reporter come from the token (docs/interface.md §3).",
                 "tags": ["signals"], "security": [{}, {"bearer": []}], "parameters": [idem],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSignal"}}}},
                 "responses": {"201": json_body("#/components/schemas/CreatedSignal", "Stored; answered only after the commit."),
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
                 "responses": {"201": json_body("#/components/schemas/DraftCode", "Saved."),
                               "413": problem("The body is over the limit, or the answers take more than kiosk.draft_max_bytes "
                                              "(default 16384) as JSON."),
                               "429": problem("The kiosk saved kiosk.drafts_per_hour drafts (default 60) in the last hour, or "
                                              "the site holds kiosk.open_drafts_per_site open drafts (default 200); see Retry-After."),
                               **errs("400", "401", "403", "422")}},
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
                 "responses": {"201": json_body("#/components/schemas/CreatedSignal", "Stored."),
                               "409": problem("The draft was already submitted."),
                               **errs("400", "401", "403", "404", "413", "422")}},
    },
    "/api/v1/kiosk/enrolment": {
        "post": {"summary": "Exchange a one-time enrolment code for the device's kiosk token (docs/interface.md §10). No token; once per code.",
                 "description": "A code is valid 15 minutes and taken once: an unknown, expired or used code gets the same 404. "
                                "At most 10 attempts a minute per client address (429 with Retry-After).",
                 "tags": ["kiosk"], "security": [{}],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EnrolmentRequest"}}}},
                 "responses": {"200": json_body("#/components/schemas/EnrolmentGrant", "Enrolled; the code is used up."),
                               **errs("400", "403", "404", "413", "415", "422", "429")}},
    },
    "/metrics": {"get": {"summary": "Prometheus text format: requests, latency, signals by channel, calls by state, database size (admin).",
                          "tags": ["system"], "security": bearer,
                          "responses": {"200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                                        **errs("401", "403")}}},
    "/": page("The website form."),
    "/kiosk": page("The counter kiosk."),
    "/kiosk/enroll": page("Enrols a kiosk device: asks for a one-time code from `kiosk-backend kiosk enrol-code`."),
    "/desk": page("The desk page."),
    "/agent": page("The 0800 agent console."),
    "/backoffice": page("The back office."),
    "/department": page("A department's inbox (department token)."),
    "/reports": page("The annual report."),
    "/assets/{path}": {"get": {"summary": "Scripts, styles and texts of the pages (any depth).", "tags": ["pages"],
                                "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}],
                                "responses": {"200": {"description": "A file."}, **errs("404")}}},
}

# The 0800 line (docs/interface.md §8): exchange events, agents' work, the calls report.
CALL_OUTCOMES = ["information", "signal", "forwarded_external", "ombuds_referral", "no_action"]
CALL_STATES = ["ringing", "talking", "answered", "abandoned", "missed", "forwarded"]
call_id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1},
                 "description": "Our id of the call (`id`), not the exchange's `call_id`."}
schemas.update({
    "CTIEvent": {
        "type": "object", "required": ["event"],
        "description": "The generic CTI push (Zammad, sipgate) as JSON or application/x-www-form-urlencoded; "
                       "`callId` or `call_id` is required. Unknown fields are ignored. Without `time` the "
                       "service's arrival time counts.",
        "properties": {
            "event": {"type": "string", "enum": ["newCall", "answer", "hangup"]},
            "callId": {"type": "string", "maxLength": 128}, "call_id": {"type": "string", "maxLength": 128},
            "from": {"type": "string", "description": "Number or `anonymous`."},
            "to": {"type": "string", "description": "Number or `anonymous`."},
            "direction": {"type": "string", "enum": ["in", "out"], "default": "in"},
            "user": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                     "description": "Agent names; a form repeats `user[]`."},
            "queue": {"type": "string"}, "answeringNumber": {"type": "string"},
            "cause": {"type": "string", "description": "On hangup: normalClearing, cancel, noAnswer, busy, "
                                                       "congestion, notFound, forwarded (others are kept)."},
            "time": {"type": "string", "description": "The event's own time: RFC 3339 or Unix seconds (or `timestamp`). "
                                                      "It must lie within phone_line.event_window_behind_minutes (default "
                                                      "1440) before and phone_line.event_window_ahead_minutes (default 5) "
                                                      "after the service's clock, or the event gets 422 and nothing is stored."},
        },
    },
    "Call": {
        "type": "object",
        "required": ["id", "call_id", "direction", "from", "state", "arrived_at", "answered_at", "ended_at",
                     "agent", "outcome", "signal_reference"],
        "properties": {
            "id": {"type": "integer"}, "call_id": {"type": "string"},
            "direction": {"type": "string", "enum": ["in", "out"]},
            "from": nullable({"type": "string"}), "to": nullable({"type": "string"}),
            "queue": nullable({"type": "string"}), "agent": nullable({"type": "string"}),
            "agents": {"type": "array", "items": {"type": "string"}},
            "answering_number": nullable({"type": "string"}),
            "state": {"type": "string", "enum": CALL_STATES}, "cause": nullable({"type": "string"}),
            "arrived_at": timestamp, "answered_at": nullable(timestamp), "ended_at": nullable(timestamp),
            "wait_seconds": nullable({"type": "number"}), "talk_seconds": nullable({"type": "number"}),
            "outcome": nullable({"type": "string", "enum": CALL_OUTCOMES}),
            "topic": nullable({"type": "string"}), "note": nullable({"type": "string"}),
            "signal_reference": nullable({"type": "string"}),
            "logged_by": nullable({"type": "string"}), "logged_at": nullable(timestamp),
            "needs_callback": {"type": "boolean"}, "callback_cleared_at": nullable(timestamp),
            "callback_cleared_by": nullable({"type": "string"}),
            "callback_cleared_reason": nullable({"type": "string", "enum": ["called_back", "answered", "cleared"],
                                                 "description": "Why it left the call-back list: an answered outbound call "
                                                 "to the number (`called_back`), a later answered call of the caller "
                                                 "(`answered`), or an agent's `callback-cleared` (`cleared`)."}),
            "callback_cleared_by_call": nullable({"type": "integer", "description": "Our id of the call that returned it."}),
            "manual": {"type": "boolean", "description": "Logged by an agent without events from the exchange."},
            "personal_data_removed": {"type": "boolean"},
            "personal_data_withheld": {"type": "boolean", "description": "True when the caller may not see the numbers "
                                       "and the note (only agents, coordinators and admins may): they are then null."},
            "attempts": {"type": "integer", "description": "Call-back list only: unanswered calls of this number."},
        },
    },
    "CallPage": {
        "type": "object", "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Call"}},
                       "next_cursor": nullable({"type": "string"})},
    },
    "CallHistoryItem": {
        "allOf": [{"$ref": "#/components/schemas/Call"}, {
            "type": "object", "required": ["signal"],
            "properties": {"signal": nullable({
                "type": "object",
                "description": "The signal made from the call, without contact details; null when there is none or "
                               "when the caller may not see that this person made it (an agent: phone signals only).",
                "required": ["reference", "kind", "channel", "category", "status", "route", "department",
                             "received_at", "answered_at", "closed_at"],
                "properties": {
                    "reference": {"type": "string"}, "kind": {"type": "string", "enum": KINDS},
                    "channel": {"type": "string", "enum": CHANNELS}, "category": {"type": "string"},
                    "status": {"type": "string", "enum": STATUSES},
                    "route": nullable({"type": "string", "enum": ROUTES}), "department": nullable({"type": "string"}),
                    "received_at": timestamp, "answered_at": nullable(timestamp), "closed_at": nullable(timestamp),
                },
            })},
        }],
    },
    "CallHistoryPage": {
        "type": "object", "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/CallHistoryItem"}},
                       "next_cursor": nullable({"type": "string"})},
    },
    "CallLog": {
        "type": "object", "additionalProperties": False,
        "description": "Absent keeps a field, null clears it. Outcome `signal` needs a `signal_reference` that exists.",
        "properties": {
            "outcome": nullable({"type": "string", "enum": CALL_OUTCOMES}),
            "topic": nullable({"type": "string", "maxLength": 200}),
            "note": nullable({"type": "string", "maxLength": 2000}),
            "signal_reference": nullable({"type": "string"}),
        },
    },
    "NewCall": {
        "type": "object", "additionalProperties": False,
        "description": "A call the exchange did not report. It is stored as answered by the agent and left out "
                       "of the calls report's figures (counted in `manual_calls`).",
        "properties": {
            "direction": {"type": "string", "enum": ["in", "out"], "default": "in"},
            "from": {"type": "string", "maxLength": 40}, "to": {"type": "string", "maxLength": 40},
            "arrived_at": {**timestamp, "description": "Default: now."},
            "ended_at": {**timestamp, "description": "Default: arrived_at."},
            "outcome": {"type": "string", "enum": CALL_OUTCOMES}, "topic": {"type": "string", "maxLength": 200},
            "note": {"type": "string", "maxLength": 2000}, "signal_reference": {"type": "string"},
        },
    },
    "CallReport": {
        "type": "object",
        "required": ["from", "to", "offered", "answered", "abandoned", "short_abandoned", "service_level",
                     "abandon_rate", "average_speed_of_answer_seconds", "average_talk_seconds", "in_progress",
                     "by_outcome", "by_hour", "signals_created"],
        "description": "docs/interface.md §7-8: inbound calls that arrived in the range and have ended; `in_progress` "
                       "those still ringing or talking. Rates leave short abandons out.",
        "properties": {
            "from": day, "to": day, "time_zone": {"type": "string"},
            "service_level_seconds": {"type": "integer"}, "short_abandon_seconds": {"type": "integer"},
            "offered": {"type": "integer"}, "answered": {"type": "integer"}, "abandoned": {"type": "integer"},
            "short_abandoned": {"type": "integer"},
            "service_level": {"type": "number", "minimum": 0, "maximum": 1},
            "abandon_rate": {"type": "number", "minimum": 0, "maximum": 1},
            "average_speed_of_answer_seconds": {"type": "number"}, "average_talk_seconds": {"type": "number"},
            "in_progress": {"type": "integer"},
            "by_outcome": {"type": "object", "required": CALL_OUTCOMES + ["unlogged"],
                           "properties": {k: {"type": "integer"} for k in CALL_OUTCOMES + ["unlogged"]}},
            "by_hour": {"type": "array", "items": {"type": "integer"}, "minItems": 24, "maxItems": 24,
                        "description": "Offered calls by local hour of arrival, 00:00-00:59 first."},
            "signals_created": {"type": "integer"},
            "manual_calls": {"type": "integer", "description": "Inbound calls logged by hand (not in the figures)."},
        },
    },
})
paths.update({
    "/api/v1/cti/{token}": {
        "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "A token of role pbx (a Bearer header works too)."}],
        "post": {"summary": "The telephone exchange's call events (pbx token). A duplicated or reordered event "
                            "changes nothing.", "tags": ["calls"],
                 "requestBody": {"required": True, "content": {
                     "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/CTIEvent"}},
                     "application/json": {"schema": {"$ref": "#/components/schemas/CTIEvent"}}}},
                 "responses": {"200": json_body({"type": "object", "maxProperties": 0}, "Applied: `{}`."),
                               **errs("400", "401", "403", "413", "422")}},
    },
    "/api/v1/calls": {
        "get": {"summary": "Calls that arrived in a range of days (today by default), newest first.",
                "tags": ["calls"], "security": bearer,
                "parameters": [q("from", day), q("to", day),
                               q("unlogged", {"type": "boolean"}, "Only calls without a logged outcome."),
                               q("direction", {"type": "string", "enum": ["in", "out"]}),
                               q("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}),
                               q("cursor", {"type": "string"})],
                "responses": {"200": json_body("#/components/schemas/CallPage"), **errs("401", "403", "422")}},
        "post": {"summary": "Log a call the exchange did not report (agent).", "tags": ["calls"],
                 "security": bearer, "parameters": [idem],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewCall"}}}},
                 "responses": {"201": json_body("#/components/schemas/Call", "Stored."),
                               **errs("400", "401", "403", "413", "422")}},
    },
    "/api/v1/calls/callbacks": {
        "get": {"summary": "The call-back list: unanswered inbound calls with a number, not cleared and not "
                           "followed by an answered call of that number; one entry per number, newest first.",
                "tags": ["calls"], "security": bearer,
                "parameters": [q("from", day, "Default: six days before `to`."), q("to", day, "Default: today."),
                               q("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50})],
                "responses": {"200": json_body("#/components/schemas/CallPage"), **errs("401", "403", "422")}},
    },
    "/api/v1/calls/{id}": {
        "parameters": [call_id_param],
        "get": {"summary": "One call.", "tags": ["calls"], "security": bearer,
                "responses": {"200": json_body("#/components/schemas/Call"), **errs("401", "403", "404")}},
        "patch": {"summary": "Log the outcome, topic, note or signal of a call (agent).", "tags": ["calls"],
                  "security": bearer,
                  "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CallLog"}}}},
                  "responses": {"200": json_body("#/components/schemas/Call"), **errs("400", "401", "403", "404", "422")}},
    },
    "/api/v1/calls/{id}/history": {
        "parameters": [call_id_param],
        "get": {"summary": "The caller's history: the other calls from or to the same number (compared as digits, "
                           "+32 and 0032 as a leading 0), newest first, each with the signal made from it "
                           "(agent, coordinator, admin).",
                "tags": ["calls"], "security": bearer,
                "parameters": [q("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 20}),
                               q("cursor", {"type": "string"})],
                "responses": {"200": json_body("#/components/schemas/CallHistoryPage"), **errs("401", "403", "404", "422")}},
    },
    "/api/v1/calls/{id}/signal": {
        "parameters": [call_id_param, idem],
        "post": {"summary": "Create a phone signal from a call: validated as an agent's signal, stored with the "
                            "call's outcome `signal` and its reference in one transaction.", "tags": ["calls"],
                 "security": bearer,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSignal"}}}},
                 "responses": {"201": json_body("#/components/schemas/CreatedSignal", "Stored and linked."),
                               "409": problem("The call already has a signal."),
                               **errs("400", "401", "403", "404", "413", "422")}},
    },
    "/api/v1/calls/{id}/callback-cleared": {
        "parameters": [call_id_param],
        "post": {"summary": "Take a call off the call-back list, with the earlier ones of the same number "
                            "(`callback_cleared_reason` `cleared`). An answered outbound call to the number clears "
                            "them by itself (`called_back`).",
                 "tags": ["calls"], "security": bearer,
                 "responses": {"200": json_body("#/components/schemas/Call"), **errs("401", "403", "404")}},
    },
    "/api/v1/reports/calls": {
        "get": {"summary": "The phone line's figures (docs/interface.md §7-8), JSON or CSV (`figure,value` lines).",
                "tags": ["reports"], "security": bearer,
                "parameters": [{**q("from", day), "required": True}, {**q("to", day), "required": True},
                               q("format", {"type": "string", "enum": ["json", "csv"], "default": "json"})],
                "responses": {"200": {"description": "The figures.", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CallReport"}},
                    "text/csv": {"schema": {"type": "string"}}}},
                    **errs("401", "403", "422")}},
    },
})

# Open311 GeoReport v2 (docs/interface.md §9, https://wiki.open311.org/GeoReport_v2). Each resource ends in
# .json or .xml: `{code}.{format}` splits a name at its last dot, so `overlast.zwerfvuil.json` is the
# service code `overlast.zwerfvuil` in JSON. Errors are the standard's list.
O311_STATUS = ["open", "closed"]
o311_nullable_text = nullable({"type": "string"})
schemas.update({
    "Open311Errors": {
        "type": "array", "minItems": 1,
        "description": "The standard's error list; XML: `<errors><error><code>…</code><description>…</description></error></errors>`.",
        "items": {"type": "object", "required": ["code", "description"],
                  "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}},
    },
    "Open311Service": {
        "type": "object",
        "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
        "properties": {
            "service_code": {"type": "string", "examples": ["overlast.zwerfvuil"],
                             "description": "A config category: `main`, or `main.sub` for `main/sub`."},
            "service_name": {"type": "string"}, "description": {"type": "string"},
            "metadata": {"type": "boolean", "description": "Whether services/{code} lists attributes."},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": {**o311_nullable_text, "description": "The name in the city's other languages, comma separated; "
                                                            "null when it is the same in all."},
            "group": {"type": "string", "description": "The main category's name."},
        },
    },
    "Open311ServiceDefinition": {
        "type": "object", "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {"type": "array", "items": {
                "type": "object",
                "required": ["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string", "enum": ["district", "language", "contact_by", "experience_score", "consent_forward"]},
                    "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
                    "required": {"type": "boolean"}, "datatype_description": o311_nullable_text,
                    "order": {"type": "integer", "minimum": 1}, "description": {"type": "string"},
                    "values": {"type": "array", "items": {"type": "object", "required": ["key", "name"],
                               "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}},
                },
            }},
        },
    },
    "Open311NewRequest": {
        "type": "object", "required": ["api_key", "service_code"],
        "description": "application/x-www-form-urlencoded. A location is required: `lat` and `long`, `address_string` or "
                       "`address_id`. Attributes as `attribute[code]=value`, a multivaluelist as repeated "
                       "`attribute[code][]=value`. `device_id` and `account_id` are accepted and not kept. Without "
                       "`description` the service's name stands in.",
        "properties": {
            "api_key": {"type": "string", "description": "A token of role open311."},
            "jurisdiction_id": {"type": "string", "description": "Optional; when given, the city's web domain (oostende.be) or name."},
            "service_code": {"type": "string"},
            "lat": {"type": "number", "minimum": -90, "maximum": 90}, "long": {"type": "number", "minimum": -180, "maximum": 180},
            "address_string": {"type": "string", "maxLength": 300}, "address_id": {"type": "string", "maxLength": 100},
            "email": {"type": "string"}, "device_id": {"type": "string"}, "account_id": {"type": "string"},
            "first_name": {"type": "string"}, "last_name": {"type": "string"}, "phone": {"type": "string"},
            "description": {"type": "string", "maxLength": 4000}, "media_url": {"type": "string", "format": "uri"},
        },
        "additionalProperties": {"type": "string"},
    },
    "Open311Created": {
        "type": "array", "minItems": 1, "maxItems": 1,
        "items": {"type": "object", "required": ["service_request_id"],
                  "properties": {"service_request_id": {"type": "string", "description": "The signal's reference."},
                                 "service_notice": o311_nullable_text, "account_id": o311_nullable_text}},
    },
    "Open311Request": {
        "type": "object",
        "required": ["service_request_id", "status", "service_name", "service_code", "requested_datetime", "updated_datetime"],
        "description": "A signal of kind `report`, without personal data: no contact details, and `[…]` in "
                       "`description` and `status_notes` for e-mail addresses (also written `jan (at) x (dot) be`), "
                       "phone numbers and other runs of 9 or more digits (dates aside), national register numbers, "
                       "IBANs, the reporter's name (any case and accents, spaced out, in brackets) and the name after "
                       "a salutation. The city's own public numbers and addresses stay. Redacted once, when the text "
                       "is written; `description` is at most 4,000 characters.",
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": O311_STATUS,
                       "description": "`open` for received and in_progress, `closed` for answered and closed."},
            "status_notes": {**o311_nullable_text, "description": "The public answer."},
            "service_name": {"type": "string"}, "service_code": {"type": "string"},
            "description": o311_nullable_text,
            "agency_responsible": {**o311_nullable_text, "description": "The department (or external party) once routed."},
            "service_notice": o311_nullable_text,
            "requested_datetime": timestamp, "updated_datetime": timestamp, "expected_datetime": nullable(timestamp),
            "address": o311_nullable_text, "address_id": o311_nullable_text, "zipcode": o311_nullable_text,
            "lat": nullable({"type": "number"}), "long": nullable({"type": "number"}), "media_url": o311_nullable_text,
        },
    },
    "Open311Requests": {"type": "array", "items": {"$ref": "#/components/schemas/Open311Request"}},
    "Open311Token": {
        "type": "array", "minItems": 1, "maxItems": 1,
        "items": {"type": "object", "required": ["service_request_id", "token"],
                  "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}}},
    },
})

def o311_content(fmt, ref):
    """The body of a .json or .xml resource; `fmt` None when the suffix is in a path parameter."""
    json_c = {"application/json": {"schema": {"$ref": ref}}}
    xml_c = {"text/xml": {"schema": {"type": "string", "description": "The same document as XML."}}}
    return {"json": json_c, "xml": xml_c, None: {**json_c, **xml_c}}[fmt]

def o311_errs(fmt, *codes):
    words = {"400": "The request cannot be fulfilled as sent (every reason listed).",
             "403": "api_key missing, unknown, or not of role open311.",
             "404": "No such service, request, token or jurisdiction_id, or the name lacks .json/.xml.",
             "429": "Too many requests: anonymous GETs per client address (limits.public_reads_per_minute), POSTs per "
                    "valid api_key (limits.open311_per_minute), POSTs without a valid api_key per client address "
                    "(limits.public_per_minute, shared with the website form). Retry-After gives the seconds to wait."}
    out = {c: {"description": words[c], "content": o311_content(fmt, "#/components/schemas/Open311Errors")} for c in codes}
    if "429" in out:
        out["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
    out["401"] = problem("A Bearer header with an unknown token (api_key goes in the form instead).")
    return out

o311_jurisdiction = q("jurisdiction_id", {"type": "string"}, "Optional: this endpoint serves one jurisdiction "
                      "(oostende.be, also written oostende); another value is 404.")
o311_api_key = q("api_key", {"type": "string"}, "Optional on a GET: a partner's valid key reads on the key's own "
                 "budget (limits.open311_per_minute) rather than its address's.")
o311_locale = q("locale", {"type": "string"}, "Extension: language of names and texts (nl, fr, en, de); default the city's first.")

def o311_file_params(name, desc):
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": desc},
            {"name": "format", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "json or xml (any other answers 404 in XML, the required format)."}]

schemas["Open311Discovery"] = {
    "type": "object", "required": ["changeset", "contact", "key_service", "endpoints"],
    "description": "Service Discovery (https://wiki.open311.org/Service_Discovery).",
    "properties": {
        "changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
        "endpoints": {"type": "array", "description": "`url` is the config's public_url followed by /open311/v2; "
                      "without public_url, http://HOST:PORT as the service listens, or the bare path /open311/v2 when "
                      "it listens on every interface. Never taken from the request's Host or X-Forwarded-* headers.",
                      "items": {
            "type": "object", "required": ["specification", "url", "changeset", "type", "formats"],
            "properties": {"specification": {"type": "string"}, "url": {"type": "string"}, "changeset": {"type": "string"},
                           "type": {"type": "string", "enum": ["production", "test"]},
                           "formats": {"type": "array", "items": {"type": "string"}}}}},
    },
}
for fmt in ["json", "xml"]:
    paths[f"/open311/discovery.{fmt}"] = {
        "get": {"summary": f"Service Discovery ({fmt.upper()}): where the GeoReport v2 endpoint is and how to get an api_key.",
                "tags": ["open311"], "parameters": [o311_api_key],
                "responses": {"200": {"description": "The discovery file.", "content": o311_content(fmt, "#/components/schemas/Open311Discovery")},
                              **o311_errs(fmt, "429")}},
    }
for fmt in ["json", "xml"]:
    paths[f"/open311/v2/services.{fmt}"] = {
        "get": {"summary": f"GET Service List ({fmt.upper()}): the config's categories as services.", "tags": ["open311"],
                "parameters": [o311_jurisdiction, o311_locale, o311_api_key],
                "responses": {"200": {"description": "The services.", "content": o311_content(fmt, "#/components/schemas/Open311Service")
                                      if fmt == "xml" else {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Open311Service"}}}}},
                              **o311_errs(fmt, "404", "429")}},
    }
paths["/open311/v2/services/{code}.{format}"] = {
    "parameters": o311_file_params("code", "The service code, e.g. `overlast.zwerfvuil` in `overlast.zwerfvuil.json`."),
    "get": {"summary": "GET Service Definition: the attributes a service asks.", "tags": ["open311"],
            "parameters": [o311_jurisdiction, o311_locale, o311_api_key],
            "responses": {"200": {"description": "The definition.", "content": o311_content(None, "#/components/schemas/Open311ServiceDefinition")},
                          **o311_errs(None, "404", "429")}},
}
for fmt in ["json", "xml"]:
    paths[f"/open311/v2/requests.{fmt}"] = {
        "get": {"summary": f"GET Service Requests ({fmt.upper()}): reports, newest first; by default the last 90 days "
                           "and at most 1000.", "tags": ["open311"],
                "parameters": [o311_jurisdiction, o311_locale, o311_api_key,
                               q("service_request_id", {"type": "string"}, "Comma list of ids; overrides all other arguments."),
                               q("service_code", {"type": "string"}, "Comma list of service codes."),
                               q("start_date", {"type": "string"}, "w3 datetime (2010-01-01T00:00:00Z) or a day; the range may span at most 90 days."),
                               q("end_date", {"type": "string"}, "w3 datetime or a day (the whole day)."),
                               q("status", {"type": "string"}, "Comma list of open, closed.")],
                "responses": {"200": {"description": "The requests.", "content": o311_content(fmt, "#/components/schemas/Open311Requests")},
                              **o311_errs(fmt, "400", "404", "429")}},
        "post": {"summary": f"POST Service Request ({fmt.upper()}): a signal with channel web, kind report, reporter "
                            "citizen; its reference is the service_request_id.", "tags": ["open311"],
                 "parameters": [o311_locale, idem],
                 "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                     "schema": {"$ref": "#/components/schemas/Open311NewRequest"}}}},
                 "responses": {"200": {"description": "Stored; answered only after the commit.",
                                       "content": o311_content(fmt, "#/components/schemas/Open311Created")},
                               **o311_errs(fmt, "400", "403", "404", "429"),
                               "413": ERRS["413"]}},
    }
paths["/open311/v2/requests/{id}.{format}"] = {
    "parameters": o311_file_params("id", "The service_request_id, e.g. `OP-7K3M-Q9TX` in `OP-7K3M-Q9TX.json`."),
    "get": {"summary": "GET Service Request: one request, as a list of one.", "tags": ["open311"],
            "parameters": [o311_jurisdiction, o311_locale, o311_api_key],
            "responses": {"200": {"description": "The request.", "content": o311_content(None, "#/components/schemas/Open311Requests")},
                          **o311_errs(None, "404", "429")}},
}
paths["/open311/v2/tokens/{token}.{format}"] = {
    "parameters": o311_file_params("token", "The token. Requests are realtime, so no token "
                                   "is handed out; a service_request_id works as its own token."),
    "get": {"summary": "GET service_request_id from a token.", "tags": ["open311"],
            "parameters": [o311_jurisdiction, o311_api_key],
            "responses": {"200": {"description": "The id.", "content": o311_content(None, "#/components/schemas/Open311Token")},
                          **o311_errs(None, "404", "429")}},
}


# -- Back office and the signals report (docs/interface.md §4 PATCH, ombuds referral, history; docs/interface.md §7) --
ref_param = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
count_map = lambda keys: {"type": "object", "required": keys, "additionalProperties": False,
                          "properties": {k: {"type": "integer", "minimum": 0} for k in keys}}
share_map = lambda keys: {"type": "object", "required": keys, "additionalProperties": False,
                          "properties": {k: {"type": "number", "minimum": 0, "maximum": 1} for k in keys}}
experience_schema = {
    "type": "object", "required": ["answered", "mean", "distribution"],
    "properties": {"answered": {"type": "integer", "description": "Signals with an experience score."},
                   "mean": nullable({"type": "number"}),
                   "distribution": count_map(["1", "2", "3", "4", "5"])},
}
answer_time_schema = {
    "type": "object", "required": ["answered", "median_seconds", "p90_seconds"],
    "properties": {"answered": {"type": "integer"},
                   "median_seconds": nullable({"type": "integer"}), "p90_seconds": nullable({"type": "integer"})},
    "description": "Time from received_at to answered_at over the answered signals: nearest-rank median and "
                   "90th percentile, whole seconds; null when none was answered.",
}
schemas.update({
    "SignalChange": {
        "type": "object", "additionalProperties": False,
        "description": "Back-office change (coordinator, admin). Every key is checked against the config; a key "
                       "that does not fit the route is refused with 422 naming it; nothing is half-applied.",
        "properties": {
            "status": {"type": "string", "enum": STATUSES,
                       "description": "received → in_progress → answered → closed; any open state may close; answered "
                                      "may reopen to in_progress. Another step is 409 naming the allowed next states. "
                                      "answered needs answer text."},
            "route": {"type": "string", "enum": ROUTES},
            "department": {"type": "string", "description": "Route opunt (defaults to the category's department). "
                                                            "For special_procedure it is the procedure's and cannot differ."},
            "special_procedure": {"type": "string", "description": "Route special_procedure: the signal goes wholly to "
                                                                   "the procedure's department."},
            "external_party": {"type": "string", "description": "Route external (defaults to the category's party)."},
            "consent_forward": {"type": "boolean", "description": "Route external: the reporter agreed to forwarding. "
                                                                  "Only then is the signal forwarded (forwarded_to)."},
            "nature": nullable({"type": "string", "enum": NATURES}),
            "answer": {"type": "string", "minLength": 1, "maxLength": 10000,
                       "description": "For route external the external party's contact details are appended unless "
                                      "the text already holds them."},
            "answered_at": {**timestamp, "description": "Only with status answered: importing history."},
        },
    },
    "BackOfficeSignal": {"allOf": [{"$ref": "#/components/schemas/Signal"}, {
        "type": "object", "required": ["forwarded_to"],
        "properties": {"forwarded_to": nullable({"type": "string"})}}]},
    "OmbudsReferral": {
        "type": "object", "required": ["reference", "ombuds_referred_at", "ombudsman"],
        "properties": {"reference": {"type": "string"}, "ombuds_referred_at": timestamp,
                       "ombudsman": {"type": "object", "required": ["name", "phone", "email", "url", "address"],
                                     "properties": {"key": {"type": "string"},
                                                    "name": {"type": "object", "additionalProperties": {"type": "string"}},
                                                    "phone": {"type": "string"}, "email": {"type": "string"},
                                                    "url": {"type": "string"}, "address": {"type": "string"}}}},
    },
    "HistoryPage": {
        "type": "object", "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": {
            "type": "object", "required": ["at", "who", "field", "old_value", "new_value", "redacted"],
            "properties": {"at": timestamp, "who": {"type": "string", "description": "The token's name."},
                           "field": {"type": "string", "description": "created, status, route, department, "
                                     "special_procedure, external_party, consent_forward, forwarded_to, nature, "
                                     "answer, answered_at, closed_at or ombuds_referred_at."},
                           "old_value": nullable({"type": "string"}), "new_value": nullable({"type": "string"}),
                           "redacted": {"type": "boolean", "description": "True when the values are personal data "
                                        "(a contact detail, a photo) the caller may not see: both are then null."}}}},
            "next_cursor": {"type": "null"}},
    },
    "SignalReport": {
        "type": "object",
        "required": ["from", "to", "time_zone", "filters", "total", "by_reporter", "by_channel", "web_share", "by_kind",
                     "by_route", "by_main_category", "by_district", "without_district", "by_nature", "shares",
                     "ombuds_referrals", "experience", "answer_time", "satisfaction"],
        "description": "Every figure counts signals received in the range (days in the city's time zone) that pass "
                       "the filters. Every key of a fixed set is present, 0 when empty; shares are fractions.",
        "properties": {
            "from": day, "to": day, "time_zone": {"type": "string"},
            "filters": {"type": "object", "properties": {k: {"type": "array", "items": {"type": "string"}}
                                                         for k in ["reporter", "route", "kind", "channel"]}},
            "total": {"type": "integer"},
            "by_reporter": count_map(REPORTERS), "by_channel": count_map(CHANNELS),
            "web_share": {"type": "number"}, "by_kind": count_map(KINDS),
            "by_route": count_map(ROUTES + ["unrouted"]),
            "by_main_category": {"type": "object", "additionalProperties": {"type": "integer"},
                                 "description": "Every main category of the config."},
            "by_district": {"type": "array", "items": {
                "type": "object", "required": ["district", "count", "share", "population_share"],
                "properties": {"district": {"type": "string"}, "count": {"type": "integer"},
                               "share": {"type": "number", "description": "Of the signals that have a district."},
                               "population_share": {"type": "number"}, "population_estimated": {"type": "boolean"}}}},
            "without_district": {"type": "integer"},
            "by_nature": count_map(NATURES + ["unclassified"]),
            "shares": {"type": "object", "description": "Each by_* count as a fraction of total.",
                       "properties": {"by_reporter": share_map(REPORTERS), "by_channel": share_map(CHANNELS),
                                      "by_kind": share_map(KINDS), "by_route": share_map(ROUTES + ["unrouted"]),
                                      "by_main_category": {"type": "object", "additionalProperties": {"type": "number"}},
                                      "by_nature": share_map(NATURES + ["unclassified"])}},
            "ombuds_referrals": {"type": "integer"},
            "satisfaction": {**count_map(["asked", "given", "satisfied"]),
                             "description": "The satisfaction question after the answer (docs/interface.md §12), per signal: "
                                            "asked (a question went out with an answer), given (the reporter answered "
                                            "it), satisfied (the latest answer said yes)."},
            "experience": {**experience_schema, "properties": {
                **experience_schema["properties"],
                "by_channel": {"type": "object", "required": CHANNELS,
                               "properties": {c: experience_schema for c in CHANNELS}}}},
            "answer_time": {"type": "object", "required": ["by_route", "by_main_category"],
                            "properties": {"by_route": {"type": "object", "properties": {r: answer_time_schema for r in ROUTES + ["unrouted"]}},
                                           "by_main_category": {"type": "object", "additionalProperties": answer_time_schema}}},
        },
    },
})
paths["/api/v1/signals/{reference}"]["patch"] = {
    "summary": "Route, classify, answer and close a signal (coordinator, admin). Each change goes into its history "
               "in the same transaction.", "tags": ["back office"], "security": bearer,
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignalChange"}}}},
    "responses": {"200": json_body("#/components/schemas/BackOfficeSignal"),
                  "409": problem("A status step that is not allowed (the detail names the allowed next states), or "
                                 "the signal is closed."),
                  **errs("400", "401", "403", "404", "413", "422")},
}
paths.update({
    "/api/v1/signals/{reference}/ombuds-referral": {
        "parameters": [ref_param],
        "post": {"summary": "Record that the reporter was referred to the ombudsman (once); answers with the "
                            "ombudsman's contact details. No body, or {}.", "tags": ["back office"], "security": bearer,
                 "responses": {"201": json_body("#/components/schemas/OmbudsReferral", "Recorded."),
                               "200": json_body("#/components/schemas/OmbudsReferral", "Already recorded; nothing changed."),
                               **errs("400", "401", "403", "404", "422")}},
    },
    "/api/v1/signals/{reference}/history": {
        "parameters": [ref_param],
        "get": {"summary": "Every change of a signal, oldest first: who, when, field, old and new value.",
                "tags": ["back office"], "security": bearer,
                "responses": {"200": json_body("#/components/schemas/HistoryPage"), **errs("401", "403", "404")}},
    },
    "/api/v1/backoffice/config": {
        "get": {"summary": "What the back office routes to beyond the public config: departments and special "
                           "procedures, names in every language (coordinator, admin).", "tags": ["back office"],
                "security": bearer,
                "responses": {"200": json_body({"type": "object", "required": ["departments", "special_procedures"],
                                                "properties": {"departments": {"type": "array", "items": {"type": "object"}},
                                                               "special_procedures": {"type": "array", "items": {"type": "object"}}}}),
                              **errs("401", "403")}},
    },
    "/api/v1/reports/signals": {
        "get": {"summary": "The signals report (coordinator, admin): JSON, or CSV with format=csv "
                           "(UTF-8 with BOM, section,key,measure,value, the same figures).",
                "tags": ["reports"], "security": bearer,
                "parameters": [{**q("from", day), "required": True}, {**q("to", day), "required": True},
                               q("reporter", {"type": "string"}, "Comma list: citizen, staff."),
                               q("route", {"type": "string"}, "Comma list: opunt, special_procedure, external, unrouted."),
                               q("kind", {"type": "string"}, "Comma list of kinds."),
                               q("channel", {"type": "string"}, "Comma list of channels."),
                               q("format", {"type": "string", "enum": ["json", "csv"], "default": "json"})],
                "responses": {"200": {"description": "The figures.", "content": {
                                  "application/json": {"schema": {"$ref": "#/components/schemas/SignalReport"}},
                                  "text/csv": {"schema": {"type": "string"}}}},
                              **errs("401", "403", "422")}},
    },
})

# -- The reporter's status page and the satisfaction question (docs/interface.md §12) --
FEEDBACK_REASONS = ["not_understandable", "incomplete", "too_late", "disagree", "not_solved", "other"]
contact_schema = {"type": "object", "required": ["name", "phone", "email", "url", "address"],
                  "properties": {"key": {"type": "string"},
                                 "name": {"type": "object", "additionalProperties": {"type": "string"}},
                                 "phone": {"type": "string"}, "email": {"type": "string"},
                                 "url": {"type": "string"}, "address": {"type": "string"}}}
secret_limit = ("Requests per minute per client address to the status and feedback endpoints: "
                "limits.status_per_minute (default 30); then 429 with Retry-After.")
schemas.update({
    "CreatedSignal": {"allOf": [{"$ref": "#/components/schemas/Signal"}, {
        "type": "object", "required": ["status_key"],
        "properties": {"status_key": {"type": "string", "pattern": "^[2-9A-HJKMNP-TV-Z]{20}$",
                                      "description": "The reporter's secret for the status page "
                                                     "(/status/{reference}?key=…). Only in this 201 to the creator, "
                                                     "and in an idempotent replay of it; never in a read, list, "
                                                     "history, report or Open311."}}}]},
    "ReporterStatus": {
        "type": "object", "additionalProperties": False,
        "required": ["reference", "kind", "status", "received_at", "due_at", "answered_at", "answer"],
        "description": "Nothing personal: no contact details, description or place.",
        "properties": {"reference": {"type": "string"}, "kind": {"type": "string", "enum": KINDS},
                       "status": {"type": "string", "enum": STATUSES}, "received_at": timestamp,
                       "due_at": {**timestamp, "description": "received_at plus deadlines.answer_days of the kind, "
                                                               "calendar days in the city's time zone."},
                       "answered_at": nullable(timestamp),
                       "answer": nullable({"type": "string", "description": "The text the reporter was sent; null "
                                                                             "until the signal is answered."})},
    },
    "FeedbackQuestion": {
        "type": "object", "additionalProperties": False,
        "required": ["reference", "answer", "expires_at", "given", "expired", "reason_choices"],
        "properties": {"reference": {"type": "string"}, "answer": nullable({"type": "string"}),
                       "expires_at": timestamp, "given": {"type": "boolean"},
                       "expired": {"type": "boolean", "description": "By the service's clock."},
                       "reason_choices": {"type": "array", "items": {"type": "string", "enum": FEEDBACK_REASONS},
                                          "description": "The reasons a page offers, in this order."}},
    },
    "FeedbackAnswer": {
        "type": "object", "additionalProperties": False, "required": ["satisfied"],
        "properties": {"satisfied": {"type": "boolean"},
                       "reasons": {"type": "array", "uniqueItems": True, "maxItems": len(FEEDBACK_REASONS),
                                   "items": {"type": "string", "enum": FEEDBACK_REASONS},
                                   "description": "Only when not satisfied."},
                       "text": {"type": "string", "maxLength": 2000,
                                "description": "At most 2000 characters and 8000 bytes of UTF-8."},
                       "ombudsman": {"type": "boolean", "default": False,
                                     "description": "Only with satisfied false: the reporter files a second-line "
                                                    "complaint; the ombuds referral is recorded as theirs "
                                                    "(history actor \"reporter (feedback)\")."}},
    },
    "FeedbackGiven": {
        "type": "object", "additionalProperties": False,
        "required": ["reference", "satisfied", "given_at", "ombudsman", "ombuds_referred_at"],
        "properties": {"reference": {"type": "string"}, "satisfied": {"type": "boolean"}, "given_at": timestamp,
                       "ombudsman": nullable({**contact_schema, "description": "The ombudsman's contact details when "
                                                                                "not satisfied."}),
                       "ombuds_referred_at": nullable(timestamp)},
    },
})
feedback_token = {"name": "feedback_token", "in": "path", "required": True,
                  "schema": {"type": "string", "pattern": "^[2-9A-HJKMNP-TV-Z]{40}$"},
                  "description": "The token in the answer message's link."}
paths.update({
    "/api/v1/status/{reference}": {
        "parameters": [ref_param],
        "get": {"summary": "The reporter's status of one signal (no token; the status key from the 201).",
                "description": "An unknown reference, a malformed key and a wrong key get the same 404. "
                               "Cache-Control: no-store. " + secret_limit,
                "tags": ["reporter"], "security": [{}],
                "parameters": [{**q("key", {"type": "string"}, "The status key."), "required": True}],
                "responses": {"200": json_body("#/components/schemas/ReporterStatus"),
                              "404": problem("Unknown reference, or a malformed or wrong key: one answer for all."),
                              "429": problem(secret_limit)}},
    },
    "/api/v1/feedback/{feedback_token}": {
        "parameters": [feedback_token],
        "get": {"summary": "The satisfaction question of an answer (no token header; the token is in the path).",
                "tags": ["reporter"], "security": [{}],
                "responses": {"200": json_body("#/components/schemas/FeedbackQuestion"),
                              "404": problem("No question with this token."), "429": problem(secret_limit)}},
        "post": {"summary": "Answer the satisfaction question: once, until feedback_days after the answer.",
                 "tags": ["reporter"], "security": [{}],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedbackAnswer"}}}},
                 "responses": {"200": json_body("#/components/schemas/FeedbackGiven", "Taken."),
                               "409": problem("Already answered; the first answer stands."),
                               "410": problem("The time to answer is over."),
                               "429": problem(secret_limit),
                               **errs("400", "404", "413", "422")}},
    },
    "/status/{reference}": {**page("The reporter's status page; reads ?key= and asks /api/v1/status."),
                            "parameters": [ref_param]},
    "/feedback/{feedback_token}": {**page("The satisfaction question's page."), "parameters": [feedback_token]},
})

# Issue 10 (compose): the answer preview.
paths["/api/v1/signals/{reference}/answer-preview"] = {
    "parameters": [ref_param],
    "post": {
        "summary": "The message the reporter would get if this answer were saved now (coordinator, admin), from the "
                   "same templates and composer as the queued message. It equals that message except for the two "
                   "secrets, shown as `…`: the status key in the status link and the feedback token (made only when "
                   "the answer is saved). Nothing is stored.",
        "tags": ["back office"], "security": bearer,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["answer"], "additionalProperties": False,
            "properties": {"answer": {"type": "string", "minLength": 1, "maxLength": 10000,
                                      "description": "As the PATCH's `answer`: at most 10,000 characters and 40,000 bytes."}}}}}},
        "responses": {"200": json_body({
            "type": "object", "required": ["to", "channel", "language", "subject", "text", "html"],
            "properties": {"to": {"type": ["string", "null"], "description": "The reporter's e-mail address; null without one."},
                           "channel": {"type": "string", "enum": ["email", "letter", "none"],
                                       "description": "How the answer reaches the reporter: e-mail, a printed letter, or not at all."},
                           "language": {"type": "string"}, "subject": {"type": "string"},
                           "text": {"type": "string"}, "html": {"type": "string"}}}),
                      "409": problem("The signal is closed."),
                      **errs("400", "401", "403", "404", "413", "422")},
    },
}

# -- Outbound mail (docs/interface.md §11): a signal's messages, retry of a failed one, the mail status --
MESSAGE_KINDS = ["acknowledgement", "answer", "forward", "department", "ombudsman"]
MESSAGE_STATUSES = ["queued", "sent", "failed"]
schemas.update({
    "Message": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "kind", "to", "language", "subject", "status", "attempts", "last_error", "queued_at", "sent_at"],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "kind": {"type": "string", "enum": MESSAGE_KINDS},
            "to": nullable({"type": "string", "description": "The recipient's address; null once the signal's "
                                                             "personal data was removed."}),
            "language": {"type": "string"},
            "subject": nullable({"type": "string"}),
            "status": {"type": "string", "enum": MESSAGE_STATUSES},
            "attempts": {"type": "integer", "minimum": 0, "description": "Attempts since it was (re)queued."},
            "last_error": nullable({"type": "string", "description": "Why the last attempt failed, e.g. \"could not "
                                                                     "connect to the SMTP server (SMTP reply 451)\"."}),
            "queued_at": {**timestamp, "description": "When it was queued, or retried by a coordinator."},
            "sent_at": nullable(timestamp),
        },
    },
    "MessagePage": {"type": "object", "required": ["items", "next_cursor"],
                    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                                   "next_cursor": {"type": "null"}}},
    "MailStatus": {
        "type": "object", "additionalProperties": False, "required": ["configured", "queued", "failed", "oldest_queued_at"],
        "properties": {
            "configured": {"type": "boolean", "description": "False: the config has no mail section and nothing is sent."},
            "queued": {"type": "integer", "minimum": 0}, "failed": {"type": "integer", "minimum": 0},
            "oldest_queued_at": nullable(timestamp),
        },
    },
})
paths.update({
    "/api/v1/signals/{reference}/messages": {
        "parameters": [ref_param],
        "get": {"summary": "The signal's outbound messages, oldest first, and where each is in its delivery "
                           "(coordinator, admin).", "tags": ["mail"], "security": bearer,
                "responses": {"200": json_body("#/components/schemas/MessagePage"), **errs("401", "403", "404")}},
    },
    "/api/v1/messages/{id}/retry": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
        "post": {"summary": "Queue a failed message again with a fresh give-up window; the same Message-ID goes out. "
                            "Recorded in the signal's history. No body, or {} (coordinator, admin).",
                 "tags": ["mail"], "security": bearer,
                 "responses": {"200": json_body("#/components/schemas/Message", "Queued again."),
                               "409": problem("The message is not failed, or its recipient was removed."),
                               **errs("400", "401", "403", "404", "413", "422")}},
    },
    "/api/v1/mail/status": {
        "get": {"summary": "Whether mail is configured, and how many messages wait or failed, for the back office's "
                           "warning (coordinator, admin).", "tags": ["mail"], "security": bearer,
                "responses": {"200": json_body("#/components/schemas/MailStatus"), **errs("401", "403")}},
    },
})

doc = {
    "openapi": "3.1.0",
    "info": {"title": "kiosk-backend", "version": "1.0.0",
             "description": "Intake of citizen signals (reports, complaints, suggestions, compliments) for a city's "
                            "single channel: website form, counter kiosks, desks, the 0800 line.\n\n"
                            "JSON bodies must be sent as `application/json` (415 otherwise). A POST without a token "
                            "that carries an `Origin` header is taken only from the service's own origins: `public_url`, "
                            "the config's `cors_origins`, or an IP address or localhost the browser connected to "
                            "(403 otherwise); a request without `Origin` (a server, curl) is not affected."},
    "servers": [{"url": "/"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
    "paths": paths,
}

# Every JSON body may be refused for its media type.
for item in paths.values():
    for op in item.values():
        if isinstance(op, dict) and "application/json" in op.get("requestBody", {}).get("content", {}):
            op["responses"].setdefault("415", ERRS["415"])
        if isinstance(op, dict) and "security" in op and {} in op["security"] and "requestBody" in op:
            op["responses"].setdefault("403", problem("Sent from another site's page: `Origin` is not one of the service's own."))

# Issue 10 (branch post): the QR code of the status link on the kiosk receipt.
paths["/status/{reference}/qr.svg"] = {
    "parameters": [ref_param],
    "get": {"summary": "The QR code of the reporter's status link `{link_base}/status/{reference}?key=KEY` as an SVG "
                       "(libqrencode, level M, a 4-module quiet zone, dark squares on white). No token: the status key is "
                       "the credential. An unknown reference, a malformed or wrong key get the same 404; every request "
                       "counts against `limits.public_reads_per_minute` per client address (429 with Retry-After). "
                       "`Cache-Control: no-store`.",
            "tags": ["status"], "security": [{}],
            "parameters": [{"name": "key", "in": "query", "required": True, "schema": {"type": "string"},
                            "description": "The status key from the 201 (case and spaces or dashes do not matter)."}],
            "responses": {"200": {"description": "The QR code.", "content": {"image/svg+xml": {"schema": {"type": "string"}}}},
                          "404": problem("No signal with this reference and status key (the same answer for both)."),
                          "429": problem("Too many requests from this address; see Retry-After.")}},
}

# Issue 11 (branch queue): the back office as a work queue (docs/interface.md §13) and the role department (§3).
schemas["Session"]["required"].append("department")
schemas["Session"]["properties"]["department"] = nullable({"type": "string", "description": "A department token's department."})
schemas["Signal"]["properties"].update({
    "due_at": nullable({**timestamp, "description": "received_at plus deadlines.answer_days of the kind: the same wall-clock "
                                                  "time that many calendar days later in the city's time zone."}),
    "overdue": {"type": "boolean", "description": "Not answered or closed, and past due_at."},
    "assignee": nullable({"type": "string", "description": "Who in the back office works on it."}),
    "duplicate_of": nullable({"type": "string", "description": "The signal this one was closed as a duplicate of."}),
    "proposed_answer": nullable({"type": "string", "description": "The department's proposed answer; O-punt answers."}),
    "suggested_department": nullable({"type": "string", "description": "The department the config maps the category "
                                      "(or subcategory) to: a suggestion, stored only when a coordinator routes."}),
})
schemas["SignalChange"]["properties"].update({
    "outcome": nullable({"type": "string", "enum": COMPLAINT_OUTCOMES,
                         "description": "Complaints only (else 422), recorded when the complaint is answered: with status answered "
                                        "in the same body, or on an answered complaint (a correction); earlier, 422."}),
    "assignee": nullable({"type": "string", "minLength": 1, "maxLength": 100, "description": "A name; null: nobody."}),
    "reason": {"type": "string", "minLength": 1, "maxLength": 1000,
               "description": "Why the status changes (e.g. a reopen), recorded in the history."},
    "proposed_answer": {"type": "string", "minLength": 1, "maxLength": 10000,
                        "description": "A department token: the only field it may change (null clears it)."},
})
schemas["SignalChange"]["properties"]["status"]["description"] += (
    " A closed signal takes no change but a reopen (status in_progress, optionally with reason): 409 otherwise.")
schemas["SignalChange"]["description"] += " A department token may send only proposed_answer (anything else: 403)."
paths["/api/v1/signals"]["get"]["summary"] = "List signals, newest first (or earliest due first), with cursor paging."
paths["/api/v1/signals"]["get"]["parameters"][-2:-2] = [
    q("sort", {"type": "string", "enum": ["received", "due"]}, "due: earliest due first; received (default): newest first."),
    q("overdue", {"type": "string", "enum": ["true", "false"]}, "true: only open signals past due_at."),
    q("q", {"type": "string", "maxLength": 200}, "Words in the reference, description or address (full text; "
      "case and accents do not matter; each word matches as a prefix; at most 200 bytes and 12 words)."),
    q("department", {"type": "string"}, "Comma list of department keys."),
    q("assignee", {"type": "string", "maxLength": 400}, "An assignee's name, exactly."),
]
ref_body = lambda schema: {"required": True, "content": {"application/json": {"schema": schema}}}


def signal_action(summary, field, field_schema, responses):
    """POST /api/v1/signals/{reference}/<action>: a back-office action whose body is one required field."""
    return {
        "parameters": [ref_param],
        "post": {"summary": summary, "tags": ["back office"], "security": bearer,
                 "requestBody": ref_body({"type": "object", "additionalProperties": False, "required": [field],
                                          "properties": {field: field_schema}}),
                 "responses": {**responses, **errs("400", "401", "403", "404", "413", "422")}},
    }


paths.update({
    "/api/v1/signals/{reference}/notes": signal_action(
        "Add an internal note to the signal's history (coordinator, admin; a department for its own "
        "signals). Never shown to the reporter, in a message, on the status page or in Open311.",
        "text", {"type": "string", "minLength": 1, "maxLength": 2000},
        {"201": json_body(schemas["HistoryPage"]["properties"]["items"]["items"], "The history entry.")}),
    "/api/v1/signals/{reference}/merge": signal_action(
        "Close the signal as a duplicate of `into` (or of the signal `into` is itself a duplicate "
        "of); its reporter gets that signal's answer, at once when it is answered already "
        "(coordinator, admin).",
        "into", {"type": "string", "maxLength": 40},
        {"200": json_body("#/components/schemas/BackOfficeSignal"), "409": problem("The signal is closed.")}),
    "/api/v1/signals/{reference}/hand-back": signal_action(
        "A department hands the signal back to O-punt: route, department and special procedure are "
        "cleared, the history records who and why (department token only).",
        "reason", {"type": "string", "minLength": 1, "maxLength": 1000},
        {"200": json_body({"type": "object", "required": ["reference", "status", "handed_back"],
                           "properties": {"reference": {"type": "string"}, "status": {"type": "string"},
                                          "handed_back": {"type": "boolean"}}}),
         "409": problem("The signal is closed.")}),
    "/api/v1/signals/bulk": {
        "post": {"summary": "Apply one PATCH body to up to 200 signals, all or nothing in one transaction "
                            "(coordinator, admin): route, assign or close a selection.",
                 "tags": ["back office"], "security": bearer,
                 "requestBody": ref_body({"type": "object", "additionalProperties": False, "required": ["references", "change"],
                                          "properties": {"references": {"type": "array", "minItems": 1, "maxItems": 200,
                                                                        "uniqueItems": True, "items": {"type": "string"}},
                                                         "change": {"$ref": "#/components/schemas/SignalChange"}}}),
                 "responses": {"200": json_body("#/components/schemas/SignalPage", "Every signal changed."),
                               "409": problem("One signal refused the change (closed, or a status step not allowed); "
                                              "nothing was changed. The detail names it."),
                               **errs("400", "401", "403", "413", "422")}},
    },
})
# Issue 12 (branch place): addresses, nearby signals, photos (docs/interface.md §14).
schemas["Address"] = {
    "type": "object",
    "required": ["address", "street", "house_number", "box", "postcode", "municipality", "lat", "lon", "district"],
    "properties": {"address": {"type": "string", "examples": ["Kapellestraat 12, 8400 Oostende"]},
                   "street": {"type": "string"}, "house_number": {"type": "string"}, "box": nullable({"type": "string"}),
                   "postcode": {"type": "string"}, "municipality": {"type": "string"},
                   "lat": {"type": "number"}, "lon": {"type": "number"}, "district": nullable({"type": "string"})},
}
schemas["Nearby"] = {
    "type": "object", "required": ["reference", "category", "description", "distance_m", "received_on", "same_count"],
    "properties": {"reference": {"type": "string"}, "category": {"type": "string"},
                   "description": {"type": "string", "description": "Open311's redacted public text, at most 200 characters."},
                   "distance_m": {"type": "integer"}, "received_on": day, "same_count": {"type": "integer"}},
}
schemas["Photo"] = {
    "type": "object", "required": ["id", "reference", "media_type", "bytes", "width", "height", "url", "thumbnail_url"],
    "properties": {"id": {"type": "string"}, "reference": {"type": "string"},
                   "media_type": {"type": "string", "enum": ["image/jpeg", "image/png"]},
                   "bytes": {"type": "integer"}, "width": {"type": "integer"}, "height": {"type": "integer"},
                   "url": {"type": "string"}, "thumbnail_url": {"type": "string"}, "created_at": timestamp},
}
def items_of(ref):
    return {"type": "object", "required": ["items", "next_cursor"],
            "properties": {"items": {"type": "array", "items": {"$ref": ref}}, "next_cursor": {"type": "null"}}}
limited = problem("Too many requests from this address (limits.public_reads_per_minute); see Retry-After.")
paths["/api/v1/addresses"] = {
    "get": {"summary": "Address suggestions as one types (docs/interface.md §14). No token; prefix match on a key that "
                       "folds case and accents and writes out str., stwg, ln and pl.; at most addresses.suggestions.",
            "tags": ["place"], "security": [{}],
            "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200},
                            "description": "What was typed so far; fewer than two letters or digits answer no items."}],
            "responses": {"200": json_body(items_of("#/components/schemas/Address")),
                          "422": problem("q is longer than 200 bytes."), "429": limited}},
}
paths["/api/v1/signals/nearby"] = {
    "get": {"summary": "Open signals of a category near a point, without personal data (docs/interface.md §14). No token.",
            "tags": ["place"], "security": [{}],
            "parameters": [{"name": "category", "in": "query", "required": True, "schema": {"type": "string"}},
                           {"name": "lat", "in": "query", "required": True, "schema": {"type": "number", "minimum": -90, "maximum": 90}},
                           {"name": "lon", "in": "query", "required": True, "schema": {"type": "number", "minimum": -180, "maximum": 180}}],
            "responses": {"200": json_body(items_of("#/components/schemas/Nearby")),
                          "422": problem("A query argument is missing or invalid."), "429": limited}},
}
photo_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
image = {"description": "The photo, without metadata.",
         "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                     "image/png": {"schema": {"type": "string", "format": "binary"}}}}
paths["/api/v1/signals/{reference}/photos"] = {
    "parameters": [ref_param],
    "post": {"summary": "Add a photo (docs/interface.md §14): the reporter with X-Status-Key, or a role that may see the "
                        "signal's personal data. At most 3 per signal and 10 MB each; turned upright, metadata removed.",
             "tags": ["photos"], "security": [{}, {"bearer": []}],
             "parameters": [{"name": "X-Status-Key", "in": "header", "required": False, "schema": {"type": "string"},
                             "description": "The signal's status key (from the 201), for the reporter without a token."}],
             "requestBody": {"required": True, "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                                                           "image/png": {"schema": {"type": "string", "format": "binary"}}}},
             "responses": {"201": json_body("#/components/schemas/Photo", "Stored."),
                           "401": problem("Neither X-Status-Key nor a bearer token."),
                           "403": problem("The token may not see this signal's personal data, or another site's page sent it."),
                           "404": problem("No signal with this reference and key."),
                           "409": problem("The signal's personal data was removed."),
                           "413": problem("Over 10 MB, over 50 megapixels, or the signal holds 3 photos already."),
                           "415": problem("Not image/jpeg or image/png, or the bytes are not a JPEG or PNG."),
                           "422": problem("The image cannot be decoded."),
                           "429": problem("Too many token-less POSTs from this address; see Retry-After.")}},
    "get": {"summary": "The signal's photos (roles that may see its personal data).", "tags": ["photos"], "security": bearer,
            "responses": {"200": json_body(items_of("#/components/schemas/Photo")), **errs("401", "403", "404")}},
}
paths["/api/v1/signals/{reference}/photos/{id}"] = {
    "parameters": [ref_param, photo_id],
    "get": {"summary": "One photo (roles that may see the signal's personal data). Cache-Control: no-store.",
            "tags": ["photos"], "security": bearer, "responses": {"200": image, **errs("401", "403", "404")}},
}
paths["/api/v1/signals/{reference}/photos/{id}/thumbnail"] = {
    "parameters": [ref_param, photo_id],
    "get": {"summary": "A photo's thumbnail, at most 320 pixels a side, as JPEG (same roles).", "tags": ["photos"],
            "security": bearer,
            "responses": {"200": {"description": "The thumbnail.", "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}},
                          **errs("401", "403", "404")}},
}
paths["/api/v1/photos/{id}"] = {
    "parameters": [photo_id],
    "get": {"summary": "A photo's public, metadata-free copy: only when the reporter agreed (photos_public); Open311's "
                       "media_url points here. No token.", "tags": ["photos"], "security": [{}],
            "responses": {"200": image, "404": problem("No public photo with this id."), "429": limited}},
}

# Issue 13 (branch kiosk): the desk code's QR code on the kiosk's help slip. Written into openapi.json by
# hand on that branch; kept here so that running this script does not drop it.
paths["/kiosk/desk-code/{code}/qr.svg"] = json.loads('{"parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}], "get": {"summary": "The QR code of a desk code (six characters of the drafts\' alphabet, case does not matter) as an SVG, for the kiosk\'s printed help slip: a scanner at the desk types the code. No token and no look-up: it tells nothing about whether a draft exists. Anything else gets 404; every request counts against `limits.status_per_minute` per client address (429 with Retry-After).", "tags": ["drafts"], "security": [{}], "responses": {"200": {"description": "The QR code.", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}, "404": {"description": "Not six characters of the drafts\' alphabet.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}, "429": {"description": "Too many requests from this address; see Retry-After.", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}}')

if __name__ == "__main__":
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
