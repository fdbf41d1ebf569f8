import Domain
import Foundation
import Testing

/// The one query reader: each rule read from a query string and worded once.
struct QueryReaderTests {
    static func reader(_ text: String) -> QueryReader {
        let pairs = text.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        return QueryReader { name in pairs.first { $0[0] == name }.map { $0.count > 1 ? $0[1] : "" } }
    }

    static let oneRule = "must be one or more of web, kiosk, counter, phone, email, letter (comma-separated), not "

    /// A query string, what is read from it, and every error message in order.
    static let table: [(query: String, read: @Sendable (QueryReader) -> String, errors: [String])] = [
        ("", { "\($0.list("channel", Channel.self))" }, []),
        ("channel=", { "\($0.list("channel", Channel.self))" }, []),
        ("channel=web, kiosk,web", { "\($0.list("channel", Channel.self).map(\.rawValue))" }, []),
        ("channel=fax", { _ = $0.list("channel", Channel.self); return "" }, ["channel " + oneRule + "\"fax\""]),
        ("channel=web,,kiosk", { _ = $0.list("channel", Channel.self); return "" }, ["channel " + oneRule + "\"\""]),
        ("site=a,zz", { _ = $0.keys("site", known: ["a", "b"]); return "" }, ["site unknown key \"zz\""]),
        ("site=b,a", { "\($0.keys("site", known: ["a", "b"]))" }, []),
        ("direction=sideways", { _ = $0.oneOf("direction", CallDirectionLike.self); return "" }, ["direction must be one of in, out"]),
        ("from=2026-02-30&to=01-01-2026", { _ = $0.days(); return "" },
         ["from must be a day YYYY-MM-DD", "to must be a day YYYY-MM-DD"]),
        ("from=2026-01-02&to=2026-01-01", { _ = $0.days(); return "" }, ["to must not be before from"]),
        ("", { _ = $0.days(required: true); return "" },
         ["from is required: a day YYYY-MM-DD in the city's time zone", "to is required: a day YYYY-MM-DD in the city's time zone"]),
        ("from=2026-01-01", { "\($0.days().from?.description ?? "-") \($0.days().to?.description ?? "-")" }, []),
        ("limit=0", { "\($0.limit())" }, ["limit must be 1 to 500"]),
        ("limit=501", { "\($0.limit())" }, ["limit must be 1 to 500"]),
        ("limit=ten", { "\($0.limit())" }, ["limit must be 1 to 500"]),
        ("limit=", { "\($0.limit())" }, []),
        ("format=xlsx", { "\($0.format())" }, ["format must be json or csv"]),
        ("format=csv", { "\($0.format())" }, []),
        ("cursor=nonsense", { _ = $0.cursor(tag: nil); return "" }, ["cursor is not a cursor this service gave out"]),
        ("cursor=" + PageCursor.encode(1, 2, tag: "call"), { _ = $0.cursor(tag: nil); return "" },
         ["cursor is not a cursor this service gave out"]),
    ]

    static let results = ["[]", "[]", "[\"web\", \"kiosk\"]", "", "", "", "[\"b\", \"a\"]", "", "", "", "",
                          "2026-01-01 -", "50", "50", "50", "50", "json", "csv", "", ""]

    @Test(arguments: table.indices) func readsAndWords(_ i: Int) {
        let row = Self.table[i]
        let q = Self.reader(row.query)
        #expect(row.read(q) == Self.results[i], "\(row.query)")
        #expect(q.errors.all.map(\.description) == row.errors, "\(row.query)")
        #expect(q.errors.subject == "query")
        if row.errors.isEmpty {
            #expect(throws: Never.self) { try q.check() }
        } else {
            #expect(throws: q.errors) { try q.check() }
        }
    }

    /// Both list cursors in one codec; the texts are those given out before the codec was shared.
    @Test func cursorsRoundTripInTheirOldForm() {
        #expect(PageCursor.encode(1_796_000_000_000, 42, tag: nil) == "MTc5NjAwMDAwMDAwMDo0Mg")
        #expect(PageCursor.encode(1_796_000_000_000, 42, tag: "call") == "Y2FsbDoxNzk2MDAwMDAwMDAwOjQy")
        #expect(PageCursor.decode("MTc5NjAwMDAwMDAwMDo0Mg", tag: nil).map { [$0.0, $0.1] } == [1_796_000_000_000, 42])
        #expect(PageCursor.decode("Y2FsbDoxNzk2MDAwMDAwMDAwOjQy", tag: "call").map { [$0.0, $0.1] } == [1_796_000_000_000, 42])
        #expect(PageCursor.decode("MTc5NjAwMDAwMDAwMDo0Mg", tag: "call") == nil)
        #expect(PageCursor.decode(String(repeating: "A", count: 65), tag: nil) == nil)
    }
}

enum CallDirectionLike: String, CaseIterable { case `in`, out }
