import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// `q=` finds its page one of three ways (``SignalQueries/SearchPaths``): few matches looked up
/// by id; many read as far as the walk along the order index asks; more than can be held left to
/// SQLite's walk.
/// Each way, with thresholds small enough for a few hundred signals, must give the pages a
/// search computed here from the rows the test wrote: same signals, same order, same cursors.
struct SearchPathsTests {
    struct Row {
        var id: Int64
        var reference: String
        var receivedAt: Int64
        var dueAt: Int64
        var status: String
        var words: [String]
    }

    static let paths: [(String, SignalQueries.SearchPaths)] = [
        ("few, by id", .init(fewMatches: 10_000, heldMatches: 10_000)),
        ("many, read as far as the walk asks", .init(fewMatches: 0, heldMatches: 10_000)),
        ("many, then too many to hold part-way", .init(fewMatches: 0, heldMatches: 20)),
        ("nearly all, SQLite's walk", .init(fewMatches: 0, heldMatches: 0)),
    ]

    /// 300 signals whose `received_at` and `due_at` are not in id order and repeat (ties fall to
    /// the id); "gemeen" in every third description and "gemeenschap" (a longer word it
    /// starts) in every fifth; the status cycles.
    static func fill(_ app: TestApp) throws -> [Row] {
        let statuses = ["received", "in_progress", "answered", "closed"]
        let base: Int64 = 1_700_000_000_000
        var rows: [Row] = []
        for n in 0..<300 {
            var words = ["melding", "nummer\(n)"]
            if n % 3 == 0 { words.append("gemeen") }
            if n % 5 == 0 { words.append("gemeenschap") }
            rows.append(Row(
                id: 0, reference: String(format: "OP-T%08d", n),
                receivedAt: base + Int64((n * 7_919) % 97) * 60_000, dueAt: base + Int64((n * 104_729) % 89) * 3_600_000,
                status: statuses[n % statuses.count], words: words))
        }
        try app.store.writeNow { db in
            for i in rows.indices {
                try db.execute(
                    sql: """
                        INSERT INTO signal (reference, kind, channel, reporter, category, main_category, address, description,
                                            received_at, status, created_by, updated_at, due_at)
                        VALUES (?, 'report', 'web', 'citizen', 'overlast/zwerfvuil', 'overlast', 'Kerkstraat 1', ?, ?, ?, 'test', ?, ?)
                        """,
                    arguments: [rows[i].reference, rows[i].words.joined(separator: " "), rows[i].receivedAt, rows[i].status,
                                rows[i].receivedAt, rows[i].dueAt])
                rows[i].id = db.lastInsertedRowID
            }
        }
        return rows
    }

    /// Every page of the list for `filter`, following the cursors; the references in order.
    static func allPages(_ app: TestApp, _ filter: SignalQueries.Filter, _ paths: SignalQueries.SearchPaths) throws -> [String] {
        var filter = filter
        var references: [String] = []
        for _ in 0..<1_000 {
            let page = try app.store.readNow { db in try SignalQueries.list(filter, db: db, search: paths) }
            #expect(page.items.count <= filter.limit)
            references += page.items.map(\.reference)
            guard let next = page.next else { return references }
            filter.cursor = next
        }
        Issue.record("the cursors did not end")
        return references
    }

    @Test(arguments: [false, true], [false, true])
    func everyPathGivesTheSamePagesAsTheRowsSay(byDue: Bool, openOnly: Bool) throws {
        let app = try TestApp()
        let rows = try Self.fill(app)
        var filter = SignalQueries.Filter()
        filter.match = try SearchQuery.match("Gemeen")
        filter.byDue = byDue
        filter.limit = 7
        if openOnly { filter.statuses = [.received, .inProgress] }
        let expected = rows
            .filter { row in row.words.contains { $0.hasPrefix("gemeen") } }
            .filter { !openOnly || ["received", "in_progress"].contains($0.status) }
            .sorted { a, b in
                byDue ? (a.dueAt, a.id) < (b.dueAt, b.id) : (a.receivedAt, a.id) > (b.receivedAt, b.id)
            }
            .map(\.reference)
        #expect(expected.count > 3 * filter.limit, "the test needs several pages")
        for (name, paths) in Self.paths {
            #expect(try Self.allPages(app, filter, paths) == expected, "\(name)")
        }
    }

    @Test func aWordNoSignalHoldsFindsNothingOnEveryPath() throws {
        let app = try TestApp()
        _ = try Self.fill(app)
        var filter = SignalQueries.Filter()
        filter.match = try SearchQuery.match("onbekendwoord")
        for (name, paths) in Self.paths {
            #expect(try Self.allPages(app, filter, paths) == [], "\(name)")
        }
    }

    /// v12-search: words of one to three letters are answered from FTS5's prefix indexes; what
    /// they find is still every signal holding a word they start, on every path.
    @Test(arguments: ["g", "Ge", "gém", "gemeens"])
    func aShortWordFindsEveryWordItStarts(word: String) throws {
        let app = try TestApp()
        let rows = try Self.fill(app)
        var filter = SignalQueries.Filter()
        filter.match = try SearchQuery.match(word)
        filter.limit = 9
        let prefix = word.lowercased().replacing("é", with: "e")
        let expected = rows
            .filter { row in row.words.contains { $0.hasPrefix(prefix) } }
            .sorted { a, b in (a.receivedAt, a.id) > (b.receivedAt, b.id) }
            .map(\.reference)
        #expect(!expected.isEmpty)
        for (name, paths) in Self.paths {
            #expect(try Self.allPages(app, filter, paths) == expected, "\(name)")
        }
        let schema = try app.store.readNow { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'signal_search'")
        }
        #expect(schema?.contains("prefix='1 2 3'") == true)
    }

    /// v12-search makes the full-text table again: signals stored before it are found after it,
    /// and the triggers keep it in step with later writes, erasures and edits.
    @Test func signalsStoredBeforeTheNewIndexAreFoundAfterIt() throws {
        let db = try DatabaseQueue()
        try Migrations.migrator.migrate(db, upTo: "v11-report: complaint outcome; report indexes by category and by outcome")
        func insert(_ reference: String, _ description: String, _ db: Database) throws {
            try db.execute(
                sql: """
                    INSERT INTO signal (reference, kind, channel, reporter, category, main_category, address, description,
                                        received_at, status, created_by, updated_at)
                    VALUES (?, 'report', 'web', 'citizen', 'overlast/zwerfvuil', 'overlast', 'Zeedijk 5', ?, 1, 'received', 'test', 1)
                    """,
                arguments: [reference, description])
        }
        try db.write { db in
            try insert("OP-AAAA-1111", "Glasbol vol", db)
            try insert("OP-BBBB-2222", "Geluid van de werf", db)
        }
        try Migrations.migrator.migrate(db)
        func found(_ text: String) throws -> [String] {
            try db.read { db in
                try String.fetchAll(
                    db, sql: "SELECT reference FROM signal WHERE id IN (SELECT rowid FROM signal_search WHERE signal_search MATCH ?) ORDER BY reference",
                    arguments: [try SearchQuery.match(text)])
            }
        }
        #expect(try found("g") == ["OP-AAAA-1111", "OP-BBBB-2222"])
        #expect(try found("gla") == ["OP-AAAA-1111"])
        #expect(try found("bbbb") == ["OP-BBBB-2222"])
        #expect(try found("op") == [], "the reference is indexed without its OP-")
        try db.write { db in
            try insert("OP-CCCC-3333", "Glas op straat", db)
            try db.execute(sql: "UPDATE signal SET description = 'Lawaai' WHERE reference = 'OP-BBBB-2222'")
            try db.execute(sql: "DELETE FROM signal WHERE reference = 'OP-AAAA-1111'")
        }
        #expect(try found("gl") == ["OP-CCCC-3333"])
        #expect(try found("ge") == [])
        #expect(try found("la") == ["OP-BBBB-2222"])
    }
}
