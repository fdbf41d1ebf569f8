import Domain
import Foundation
import GRDB

/// The stored `due_at` of every signal (docs/interface.md §13): `received_at` plus the kind's
/// `deadlines.answer_days`, as wall-clock days in the city's time zone (``CityConfig/Deadlines/dueAt``).
///
/// A new signal gets its due date when it is stored (``SignalQueries/insert``). The rule depends on
/// the config, so its fingerprint is stored beside the data: at start the service recomputes every
/// due date when the fingerprint differs (after migration v11, or an edited config).
struct DueDates: Sendable {
    let deadlines: CityConfig.Deadlines
    let timeZone: TimeZone

    init(config: CityConfig) {
        deadlines = config.deadlines
        timeZone = config.timeZone
    }

    func dueAt(receivedAt: Date, kind: SignalKind) -> Date {
        deadlines.dueAt(receivedAt: receivedAt, kind: kind, timeZone: timeZone)
    }

    /// What the stored due dates were computed with.
    var fingerprint: String {
        let days = SignalKind.allCases.map { "\($0.rawValue)=\(deadlines.days(for: $0))" }.joined(separator: ",")
        return "\(timeZone.identifier);\(days)"
    }

    static let settingKey = "due_dates"

    /// Recomputes every signal's `due_at` when the rule changed since they were computed;
    /// answers how many signals it updated.
    @discardableResult
    func refresh(_ store: Store) throws -> Int {
        try store.writeNow { db in
            let stored = try String.fetchOne(db, sql: "SELECT value FROM derived_setting WHERE key = ?", arguments: [Self.settingKey])
            let missing = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM signal WHERE due_at IS NULL)") ?? false
            guard stored != fingerprint || missing else { return 0 }
            let update = try db.makeStatement(sql: "UPDATE signal SET due_at = ? WHERE id = ?")
            var count = 0
            let rows = try Row.fetchCursor(db, sql: "SELECT id, received_at, kind FROM signal")
            var pending: [(Int64, Int64)] = []
            while let row = try rows.next() {
                let kind = SignalKind(rawValue: row["kind"]) ?? .report
                let due = dueAt(receivedAt: Millis.date(row["received_at"]), kind: kind)
                pending.append((row["id"], Millis.from(due)))
            }
            for (id, due) in pending {
                try update.execute(arguments: [due, id])
                count += 1
            }
            try db.execute(
                sql: "INSERT INTO derived_setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [Self.settingKey, fingerprint])
            return count
        }
    }
}
