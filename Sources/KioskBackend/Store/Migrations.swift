import GRDB

/// The schema, as GRDB migrations. Shipped migrations are never edited: add a new one.
/// Table names are strings, never application types (GRDB `Migrations.md`).
enum Migrations {
    static var migrator: DatabaseMigrator {
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
                // Scope: the token id, or the client address for the public form.
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
        return migrator
    }
}
