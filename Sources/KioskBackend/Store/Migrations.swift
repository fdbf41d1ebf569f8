import Foundation
import GRDB

/// The schema, as GRDB migrations. Shipped migrations are never edited: add a new one.
/// Table names are strings, never application types (GRDB `Migrations.md`).
enum Migrations {
    static var migrator: DatabaseMigrator { migrator(keep: Open311Redaction.Public()) }

    /// `keep`: the config's public contact details, which the public texts of v5 keep
    /// (without them, v5's backfill removes those too: too much rather than too little).
    static func migrator(keep: Open311Redaction.Public) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: signals, history, tokens, idempotency keys, drafts") { db in
            try db.create(table: "signal") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reference", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("channel", .text).notNull()
                t.column("site", .text)
                t.column("reporter", .text).notNull()
                t.column("category", .text).notNull()
                t.column("main_category", .text).notNull()
                t.column("district", .text)
                t.column("address", .text)
                t.column("lat", .double)
                t.column("lon", .double)
                t.column("description", .text).notNull()
                t.column("experience_score", .integer)
                // Personal data: emptied by the retention purge.
                t.column("contact_name", .text)
                t.column("contact_email", .text)
                t.column("contact_phone", .text)
                t.column("contact_language", .text)
                t.column("consent_forward", .boolean)
                // Instants are Unix milliseconds (UTC): compact, and range scans compare integers.
                t.column("received_at", .integer).notNull()
                t.column("assisted", .boolean).notNull().defaults(to: false)
                t.column("status", .text).notNull().defaults(to: "received")
                t.column("route", .text)
                t.column("department", .text)
                t.column("special_procedure", .text)
                t.column("external_party", .text)
                t.column("nature", .text)
                t.column("answer", .text)
                t.column("answered_at", .integer)
                t.column("closed_at", .integer)
                t.column("ombuds_referred_at", .integer)
                t.column("created_by", .text).notNull()
                t.column("updated_at", .integer).notNull()
                t.column("personal_data_removed_at", .integer)
            }
            try db.create(index: "signal_on_received_at", on: "signal", columns: ["received_at", "id"])
            try db.create(index: "signal_on_status_received_at", on: "signal", columns: ["status", "received_at"])
            try db.create(index: "signal_on_contact_email", on: "signal", columns: ["contact_email"])

            try db.create(table: "signal_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("signal_id", .integer).notNull().indexed().references("signal", onDelete: .cascade)
                t.column("at", .integer).notNull()
                t.column("actor", .text).notNull()
                t.column("field", .text).notNull()
                t.column("old_value", .text)
                t.column("new_value", .text)
            }

            try db.create(table: "token") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("site", .text)
                // SHA-256 of the token, hex. The token itself is never stored.
                t.column("hash", .text).notNull().unique()
                t.column("created_at", .integer).notNull()
                t.column("revoked_at", .integer)
            }

            try db.create(table: "idempotency_key") { t in
                // Scope: the token id, or "public" for the website form (keys are random UUIDs).
                t.column("scope", .text).notNull()
                t.column("key", .text).notNull()
                t.column("request_hash", .text).notNull()
                t.column("status", .integer).notNull()
                t.column("body", .blob).notNull()
                t.column("created_at", .integer).notNull()
                t.primaryKey(["scope", "key"])
            }
            try db.create(index: "idempotency_key_on_created_at", on: "idempotency_key", columns: ["created_at"])

            try db.create(table: "draft") { t in
                t.primaryKey("code", .text)
                t.column("site", .text).notNull()
                t.column("language", .text).notNull()
                t.column("answers", .text).notNull()
                t.column("created_by", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                t.column("signal_reference", .text)
            }
        }

        migrator.registerMigration("v2: calls") { db in
            // One row per call on the 0800 line: what the exchange's events said
            // (folded by CallLog's CallStateMachine) and what the agent logged.
            try db.create(table: "call") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("call_id", .text).notNull().unique()
                t.column("direction", .text).notNull()
                // Personal data: emptied by the retention purge.
                t.column("from_number", .text)
                t.column("to_number", .text)
                t.column("queue", .text)
                // JSON list of agent names, the one who took the call first.
                t.column("agents", .text).notNull().defaults(to: "[]")
                t.column("answering_number", .text)
                // Unix milliseconds (UTC), like every instant in this database.
                t.column("arrived_at", .integer).notNull()
                t.column("answered_at", .integer)
                t.column("ended_at", .integer)
                t.column("cause", .text)
                t.column("state", .text).notNull()
                // The event kinds applied so far, comma-separated: a repeat is a duplicate.
                t.column("events", .text).notNull().defaults(to: "")
                t.column("outcome", .text)
                t.column("topic", .text)
                t.column("note", .text)
                t.column("signal_reference", .text)
                t.column("logged_by", .text)
                t.column("logged_at", .integer)
                t.column("callback_cleared_at", .integer)
                t.column("callback_cleared_by", .text)
                // Logged by an agent without events from the exchange; left out of the figures.
                t.column("manual", .boolean).notNull().defaults(to: false)
                t.column("created_by", .text).notNull()
                t.column("updated_at", .integer).notNull()
                t.column("personal_data_removed_at", .integer)
            }
            // The calls report reads only this index (equality on direction and manual,
            // a range on arrived_at, the rest covered), so a year of calls is one range scan.
            try db.create(
                index: "call_report", on: "call",
                columns: ["direction", "manual", "arrived_at", "answered_at", "ended_at", "outcome"])
            // The agents' list: newest first within a range of days.
            try db.create(index: "call_on_arrived_at", on: "call", columns: ["arrived_at", "id"])
            // The call-back list: only calls still waiting for one are in this partial index.
            try db.execute(
                sql: """
                    CREATE INDEX call_callbacks ON call(arrived_at)
                    WHERE callback_cleared_at IS NULL AND answered_at IS NULL AND state IN ('abandoned', 'missed')
                    """)
            // "Did this caller get through later?" and purges by number.
            try db.create(index: "call_on_from_number", on: "call", columns: ["from_number", "arrived_at"])
            try db.execute(
                sql: "CREATE INDEX call_on_to_number ON call(to_number, arrived_at) WHERE direction = 'out'")
        }
        migrator.registerMigration("v3: covering indexes for the signals report") { db in
            // The signals report (docs/interface.md §7) counts by one dimension at a time, grouped
            // also by the four filter dimensions. Each index leads with the dimension and
            // the filter dimensions and ends with received_at: SQLite reads it in GROUP BY
            // order and, after ANALYZE, skip-scans into the day range of each group. The
            // other order, (received_at, dimension), still sorts the whole range.
            let filters = ["reporter", "route", "kind", "channel"]
            try db.create(index: "signal_report_nature", on: "signal", columns: filters + ["nature", "received_at"])
            try db.create(index: "signal_report_main_category", on: "signal", columns: ["main_category"] + filters + ["received_at"])
            try db.create(index: "signal_report_district", on: "signal", columns: ["district"] + filters + ["received_at"])
            try db.execute(
                sql: """
                    CREATE INDEX signal_report_experience ON signal(experience_score, reporter, route, kind, channel, received_at)
                    WHERE experience_score IS NOT NULL
                    """)
            try db.execute(
                sql: """
                    CREATE INDEX signal_report_ombuds ON signal(received_at, reporter, route, kind, channel)
                    WHERE ombuds_referred_at IS NOT NULL
                    """)
            // Answer times: one seek per route and main category, the rest covered.
            try db.execute(
                sql: """
                    CREATE INDEX signal_report_answer_time
                    ON signal(route, main_category, received_at, answered_at, reporter, kind, channel)
                    WHERE answered_at IS NOT NULL
                    """)
            // The statistics that let the planner skip-scan. A bulk import should run ANALYZE again.
            try db.execute(sql: "ANALYZE")
        }
        migrator.registerMigration("v4: the report's experience index grouped by score and channel") { db in
            // Measured over a million signals: grouping the scores by channel on an index
            // that leads with (experience_score, channel) needs no sort; v3's index, with
            // channel last, made the per-channel distribution sort the range.
            try db.execute(sql: "DROP INDEX IF EXISTS signal_report_experience")
            try db.execute(
                sql: """
                    CREATE INDEX signal_report_experience_channel
                    ON signal(experience_score, channel, reporter, route, kind, received_at)
                    WHERE experience_score IS NOT NULL
                    """)
            try db.execute(sql: "ANALYZE signal")
        }
        migrator.registerMigration("v5: Open311's public texts, redacted once when written") { db in
            // Redacting on every public read cost seconds per request (issue 9). The
            // texts are now redacted when written and Open311 reads serve these columns.
            try db.alter(table: "signal") { t in
                t.add(column: "public_description", .text)
                t.add(column: "public_answer", .text)
            }
            try Open311Text.backfill(keep: keep, db: db)
        }
        migrator.registerMigration("v6: who registered a signal, drafts per token, exchange and manual call ids apart") { db in
            // docs/interface.md §3: a desk sees the personal data of the signals it registered. Older
            // signals have no token id and are shown by the other rules only.
            try db.alter(table: "signal") { t in
                t.add(column: "created_by_token_id", .integer)
            }
            // Drafts are bounded per kiosk token and per site (issue 9).
            try db.alter(table: "draft") { t in
                t.add(column: "token_id", .integer)
            }
            try db.create(index: "draft_on_token_id_created_at", on: "draft", columns: ["token_id", "created_at"])
            try db.create(index: "draft_on_site_expires_at", on: "draft", columns: ["site", "expires_at"])
            try separateExchangeAndManualCallIds(db)
        }
        migrator.registerMigration("v7: one-time kiosk enrolment codes") { db in
            // A code typed on a kiosk is exchanged once for the device's token (docs/interface.md §10),
            // so the long-lived token never travels in a URL.
            try db.create(table: "enrolment_code") { t in
                t.autoIncrementedPrimaryKey("id")
                // SHA-256 of the normalised code, hex. The code itself is never stored.
                t.column("hash", .text).notNull().unique()
                t.column("site", .text).notNull()
                // The name the kiosk token gets ('token list' shows it).
                t.column("name", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                // Set by the one exchange that wins; a used code is refused like an unknown one.
                t.column("used_at", .integer)
                t.column("token_id", .integer).references("token")
            }
        }
        migrator.registerMigration("v8: outbound messages, the reporter's status key, feedback on answers") { db in
            // docs/interface.md §11: each message is a row written in the same transaction as its cause
            // and rendered then, so what a coordinator previews is what goes out, and a retry
            // sends the same bytes with the same Message-ID.
            try db.create(table: "outbox_message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("signal_reference", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                // Personal data (the reporter's address, the text): emptied by the retention purge.
                t.column("recipient", .text).notNull()
                t.column("language", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("body_text", .text).notNull()
                t.column("body_html", .text).notNull()
                t.column("message_id", .text).notNull().unique()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("last_error", .text)
                t.column("queued_at", .integer).notNull()
                t.column("next_attempt_at", .integer).notNull()
                t.column("sent_at", .integer)
            }
            // The delivery worker's question: what is due now?
            try db.create(index: "outbox_message_due", on: "outbox_message", columns: ["status", "next_attempt_at"])
            // docs/interface.md §12: the reporter's secret for the status page, handed out in the 201 only.
            try db.alter(table: "signal") { t in
                t.add(column: "status_key", .text)
            }
            // docs/interface.md §12: one satisfaction question per answer.
            try db.create(table: "feedback") { t in
                t.autoIncrementedPrimaryKey("id")
                // SHA-256 of the token in the answer message's link, hex.
                t.column("token_hash", .text).notNull().unique()
                t.column("signal_reference", .text).notNull().indexed()
                t.column("asked_at", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                t.column("given_at", .integer)
                t.column("satisfied", .boolean)
                t.column("reasons", .text)
                // The reporter's own words: personal data, emptied by the retention purge.
                t.column("text", .text)
                t.column("ombudsman", .boolean)
            }
        }
        // --- issue 10, replies by post (branch post) ---
        migrator.registerMigration("v9: the reporter's postal address, for replies by post") { db in
            // docs/interface.md §4: contact.postal_address. Personal data, like the other contact_* columns:
            // shown by role, emptied by the retention purge and by an erasure.
            try db.alter(table: "signal") { t in
                t.add(column: "contact_postal_address", .text)
            }
        }
        // --- end replies by post ---
        migrator.registerMigration("v10: an idempotent answer keeps its Location") { db in
            try db.alter(table: "idempotency_key") { t in t.add(column: "location", .text) }
            // The answers stored before had theirs rebuilt from the created signal's reference.
            try db.execute(sql: """
                UPDATE idempotency_key
                SET location = '/api/v1/signals/' || json_extract(CAST(body AS TEXT), '$.reference')
                WHERE status = 201 AND json_valid(CAST(body AS TEXT))
                  AND json_type(CAST(body AS TEXT), '$.reference') = 'text'
                """)
        }
        // --- issue 13, the agent console (branch agent) ---
        migrator.registerMigration("v11-agent: a caller's calls by number, and why a call left the call-back list") { db in
            // docs/interface.md §8. `caller_key`: the other party's number, normalised (CallerKey), so a
            // caller's calls are one range of `call_on_caller_key` (the call-back list, the caller's history).
            // `callback_cleared_reason`: called_back, answered or cleared; `callback_cleared_by_call`: the
            // call that returned it.
            try db.alter(table: "call") { t in
                t.add(column: "caller_key", .text)
                t.add(column: "callback_cleared_reason", .text)
                t.add(column: "callback_cleared_by_call", .integer)
            }
            try db.execute(sql: "CREATE INDEX call_on_caller_key ON call(caller_key, arrived_at, id) WHERE caller_key IS NOT NULL")
            // The calls stored before: their keys, computed as CallerKey did when this migration shipped
            // (a copy, so a later change to CallerKey does not change what this migration did).
            func key(_ number: String?) -> String? {
                guard let number, number.lowercased() != "anonymous" else { return nil }
                var digits = number.filter(\.isNumber)
                if digits.hasPrefix("0032") {
                    digits = "0" + digits.dropFirst(4)
                } else if number.trimmingCharacters(in: .whitespaces).hasPrefix("+32") {
                    digits = "0" + digits.dropFirst(2)
                }
                return (6...20).contains(digits.count) ? digits : nil
            }
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, direction, from_number, to_number FROM call WHERE from_number IS NOT NULL OR to_number IS NOT NULL")
            let update = try db.makeStatement(sql: "UPDATE call SET caller_key = ? WHERE id = ?")
            for row in rows {
                let number: String? = (row["direction"] as String) == "out" ? row["to_number"] : row["from_number"]
                if let k = key(number) { try update.execute(arguments: [k, row["id"] as Int64]) }
            }
            // Calls taken off the list by hand before: their reason.
            try db.execute(sql: "UPDATE call SET callback_cleared_reason = 'cleared' WHERE callback_cleared_at IS NOT NULL")
        }
        // --- end agent console ---
        // --- issue 11, the back office as a work queue (branch queue) ---
        migrator.registerMigration("v11-queue: due dates, assignment, duplicates, department tokens, full-text search") { db in
            // docs/interface.md §13. `due_at` (Unix ms) is stored so the queue's default order and
            // `overdue=true` use an index; it depends on the config (days per kind, time zone), so
            // `DueDates.refresh` fills it after migrating and again whenever those change.
            try db.alter(table: "signal") { t in
                t.add(column: "due_at", .integer)
                t.add(column: "assignee", .text)
                t.add(column: "duplicate_of", .text)
                t.add(column: "proposed_answer", .text)
            }
            try db.create(index: "signal_on_due_at", on: "signal", columns: ["due_at", "id"])
            try db.create(index: "signal_on_open_due_at", on: "signal", columns: ["status", "due_at", "id"])
            try db.create(index: "signal_on_department_due_at", on: "signal", columns: ["department", "due_at", "id"])
            try db.create(index: "signal_on_assignee_due_at", on: "signal", columns: ["assignee", "due_at", "id"])
            try db.create(index: "signal_on_duplicate_of", on: "signal", columns: ["duplicate_of"])
            // docs/interface.md §3: a department token is bound to one department.
            try db.alter(table: "token") { t in
                t.add(column: "department", .text)
            }
            // Settings the service derives stored data from (the due dates' fingerprint).
            try db.create(table: "derived_setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            // Full-text search over reference, description and address (docs/interface.md §13), an
            // external-content FTS5 table kept in step by triggers, so every write path (intake,
            // erasure, purge) keeps it right. `remove_diacritics 2`: "Vélo" is found by "velo".
            // The reference is indexed without its "OP-", which every reference shares: a query
            // with "op" would otherwise walk a million postings. So the index holds values the
            // content table does not: never 'rebuild' it (that re-reads `reference` whole) and
            // never read its columns back; the service reads only rowids.
            // https://www.sqlite.org/fts5.html#external_content_tables
            try db.execute(sql: """
                CREATE VIRTUAL TABLE signal_search USING fts5(
                    reference, description, address,
                    content='signal', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 2');
                CREATE TRIGGER signal_search_insert AFTER INSERT ON signal BEGIN
                    INSERT INTO signal_search(rowid, reference, description, address)
                    VALUES (new.id, substr(new.reference, 4), new.description, new.address);
                END;
                CREATE TRIGGER signal_search_delete AFTER DELETE ON signal BEGIN
                    INSERT INTO signal_search(signal_search, rowid, reference, description, address)
                    VALUES ('delete', old.id, substr(old.reference, 4), old.description, old.address);
                END;
                CREATE TRIGGER signal_search_update AFTER UPDATE OF reference, description, address ON signal BEGIN
                    INSERT INTO signal_search(signal_search, rowid, reference, description, address)
                    VALUES ('delete', old.id, substr(old.reference, 4), old.description, old.address);
                    INSERT INTO signal_search(rowid, reference, description, address)
                    VALUES (new.id, substr(new.reference, 4), new.description, new.address);
                END;
                INSERT INTO signal_search(rowid, reference, description, address)
                    SELECT id, substr(reference, 4), description, address FROM signal;
                """)
        }
        // --- end work queue ---
        // --- issue 12: place and photos ---
        migrator.registerMigration("v11-place: addresses, photos, same-as links") { db in
            // The address register (docs/interface.md §14): `search_key` is the normalised
            // "street number box postcode municipality" that suggestions search by prefix.
            try db.create(table: "address") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("street", .text).notNull()
                t.column("house_number", .text).notNull()
                t.column("box", .text)
                t.column("postcode", .text).notNull()
                t.column("municipality", .text).notNull()
                t.column("lat", .double).notNull()
                t.column("lon", .double).notNull()
                t.column("district", .text)
                t.column("search_key", .text).notNull()
            }
            // Prefix search: `search_key >= ? AND search_key < ?` walks this index (a LIKE would
            // not, under SQLite's default case-insensitive LIKE).
            try db.create(index: "address_on_search_key", on: "address", columns: ["search_key"])
            // A signal repeating an earlier one ("mine is the same") and the photos consent.
            try db.alter(table: "signal") { t in
                t.add(column: "same_as", .text)
                t.add(column: "photos_public", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "signal_on_same_as", on: "signal", columns: ["same_as"])
            // Nearby look-ups: open signals of one category by date.
            try db.create(index: "signal_on_category_received", on: "signal", columns: ["category", "received_at"])
            // Photos: the files live in a folder beside the database, named by `file_id`.
            try db.create(table: "photo") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("signal_id", .integer).notNull().references("signal", onDelete: .cascade)
                t.column("public_id", .text).notNull().unique()
                t.column("file_id", .text).notNull().unique()
                t.column("media_type", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("width", .integer).notNull()
                t.column("height", .integer).notNull()
                t.column("created_at", .integer).notNull()
                t.column("created_by", .text).notNull()
            }
            try db.create(index: "photo_on_signal", on: "photo", columns: ["signal_id"])
        }
        // --- end place and photos ---
        migrator.registerMigration("v11-report: complaint outcome; report indexes by category and by outcome") { db in
            // docs/interface.md §4: a complaint's outcome, recorded when it is answered.
            try db.alter(table: "signal") { t in t.add(column: "outcome", .text) }
            // The report's by_month and by_subcategory (§7): one GROUP BY category per month of the
            // range, each one seek per category into (category, received_at) and a walk over that
            // month's entries, the filter columns covered. received_at second (not after the
            // filters, as in v3): a month is a narrow range, read in one piece per category.
            try db.execute(
                sql: """
                    CREATE INDEX signal_report_category_month
                    ON signal(category, received_at, reporter, route, kind, channel)
                    """)
            // complaint_outcomes: complaints only, grouped by outcome (NULL: none yet).
            try db.execute(
                sql: """
                    CREATE INDEX signal_report_outcome
                    ON signal(outcome, received_at, reporter, route, kind, channel)
                    WHERE kind = 'complaint'
                    """)
            try db.execute(sql: "ANALYZE signal")
        }
        migrator.registerMigration("v12-search: prefix indexes for words of one to three letters") { db in
            // Every search word is a prefix term. FTS5 answers one from a prefix index when one of
            // that length exists, reading it in order like a word's own list; otherwise it merges
            // the lists of every word the prefix starts, whole, before the first row: "s" took
            // 180 ms over a million signals, "de" 35 ms, with prefix='1 2 3' under 1 ms each
            // (bench/RESULTS.md). Longer words start few words, whose merge is cheap enough; each
            // length indexed costs a posting per word. The table is made again with the option
            // (FTS5 cannot add it) and filled as v11-queue filled it. v11-queue's triggers stay: they
            // name the table, and SQLite resolves that name when a trigger runs, not when it is made.
            // https://www.sqlite.org/fts5.html#prefix_indexes
            try db.execute(sql: """
                DROP TABLE signal_search;
                CREATE VIRTUAL TABLE signal_search USING fts5(
                    reference, description, address,
                    content='signal', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
                INSERT INTO signal_search(rowid, reference, description, address)
                    SELECT id, substr(reference, 4), description, address FROM signal;
                """)
        }
        return migrator
    }

    /// v2 made `call.call_id` unique over all calls, so an exchange event carrying a
    /// manual call's id (`manual-…`) found and overwrote that call. Exchange ids are now
    /// unique among exchange calls only (`manual = 0`), manual ids among manual ones, and
    /// exchange events look calls up with `manual = 0`: a manual call cannot be addressed.
    ///
    /// SQLite cannot drop a column's UNIQUE constraint, so the table is rebuilt as
    /// https://www.sqlite.org/lang_altertable.html#otheralter describes: the new table
    /// is created from the stored schema text without that constraint (so columns other
    /// migrations added stay), the rows copied, and every index created again.
    static func separateExchangeAndManualCallIds(_ db: Database) throws {
        guard let schema = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'call'")
        else { fatalError("migration v5: the call table is missing") }
        let unique = #/"call_id"\s+TEXT\s+NOT\s+NULL\s+UNIQUE/#.ignoresCase()
        guard schema.contains(unique) else { fatalError("migration v5: call.call_id is not declared as v2 declared it") }
        let rebuilt = schema
            .replacing(unique, with: "\"call_id\" TEXT NOT NULL")
            .replacing(#/^CREATE TABLE\s+"?call"?/#, with: "CREATE TABLE \"call_v5\"")
        let indexes = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'call' AND sql IS NOT NULL")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO call_v5 SELECT * FROM call")
        try db.execute(sql: "DROP TABLE call")
        try db.execute(sql: "ALTER TABLE call_v5 RENAME TO call")
        for index in indexes {
            try db.execute(sql: index)
        }
        try db.execute(sql: "CREATE UNIQUE INDEX call_on_exchange_call_id ON call(call_id) WHERE manual = 0")
        try db.execute(sql: "CREATE UNIQUE INDEX call_on_manual_call_id ON call(call_id) WHERE manual = 1")
    }
}
