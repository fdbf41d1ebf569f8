import CallLog
import Domain
import Foundation
@testable import KioskBackend
import Testing

/// `docs/interface.md` says what the code does: its routes are the router's, its vocabularies
/// the Swift enums' cases, and its config table the keys `CityConfig.parse` reads or accepts.
struct InterfaceDocTests {
    static func document() throws -> String {
        try String(contentsOf: TestApp.packageRoot.appendingPathComponent("docs/interface.md"), encoding: .utf8)
    }

    /// The text of section `n` (`## n. …` up to the next `## `).
    static func section(_ n: Int, of text: String) throws -> Substring {
        let start = try #require(text.range(of: "\n## \(n). "), "docs/interface.md has no section \(n)")
        let rest = text[start.upperBound...]
        return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
    }

    // MARK: Routes

    /// Every `` `METHOD /path` `` in the document (a query string after `?` left out).
    static func mentions(_ text: String) -> [(method: String, path: String)] {
        text.matches(of: #/`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)[^`]*`/#).map { (String($0.1), String($0.2)) }
    }

    /// A path the router can match: each `{name}` of a mention becomes a sample value.
    static func samplePath(_ path: String) -> String {
        path.replacing(#/\{[a-z_]+\}/#, with: "x1")
    }

    /// Pages and assets: the document names them, but need not.
    static func staticRouteKeys(_ app: TestApp) -> Set<String> {
        Set(StaticFiles.routes(app.application.environment).map { "\($0.method) \($0.pattern)" })
    }

    @Test func everyRouteItNamesIsServed() async throws {
        let app = try TestApp()
        let mentions = Self.mentions(try Self.document())
        #expect(mentions.count > 40, "docs/interface.md names routes as `METHOD /path`")
        for m in mentions {
            guard case .found = app.application.router.match(method: m.method, path: Self.samplePath(m.path)) else {
                Issue.record("docs/interface.md names `\(m.method) \(m.path)`, which the router does not serve")
                continue
            }
        }
    }

    @Test func namesEveryAPIRoute() async throws {
        let app = try TestApp()
        var named: Set<String> = []
        for m in Self.mentions(try Self.document()) {
            if case .found(let route, _) = app.application.router.match(method: m.method, path: Self.samplePath(m.path)) {
                named.insert("\(route.method) \(route.pattern)")
            }
        }
        let api = Set(app.application.router.routes.map { "\($0.method) \($0.pattern)" }).subtracting(Self.staticRouteKeys(app))
        #expect(api.contains("POST /api/v1/signals"))
        for missing in api.subtracting(named).sorted() {
            Issue.record("the router serves `\(missing)`, which docs/interface.md does not name as `METHOD /path`")
        }
    }

    // MARK: Vocabularies

    /// The vocabularies the document must list, each with the cases of its Swift enum, in order.
    static let vocabularies: [String: [String]] = [
        "role": Role.allCases.map(\.rawValue),
        "kind": SignalKind.allCases.map(\.rawValue),
        "channel": Channel.allCases.map(\.rawValue),
        "reporter": Reporter.allCases.map(\.rawValue),
        "status": SignalStatus.allCases.map(\.rawValue),
        "route": SignalRoute.allCases.map(\.rawValue),
        "nature": Nature.allCases.map(\.rawValue),
        "complaint outcome": ComplaintOutcome.allCases.map(\.rawValue),
        "report route": RouteBucket.allCases.map(\.rawValue),
        "call event": CallEventKind.allCases.map(\.rawValue),
        "call direction": CallDirection.allCases.map(\.rawValue),
        "hangup cause": HangupCause.known.map(\.rawValue),
        "call state": CallState.allCases.map(\.rawValue),
        "call outcome": CallOutcome.allCases.map(\.rawValue),
        "callback cleared reason": CallbackClearing.allCases.map(\.rawValue),
        "message kind": MessageKind.allCases.map(\.rawValue),
        "message status": MessageStatus.allCases.map(\.rawValue),
        "feedback reason": FeedbackReason.allCases.map(\.rawValue),
    ]

    /// The rows of every table headed `| key | …` (`keyHeader`) or `| vocabulary | values |`:
    /// the first cell without backticks, and the backticked words of the second.
    static func tableRows(_ text: Substring, header: String) -> [(name: String, cells: [String])] {
        var rows: [(String, [String])] = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(header) {
                inTable = true
                continue
            }
            guard inTable, trimmed.hasPrefix("|") else {
                inTable = false
                continue
            }
            if trimmed.hasPrefix("|---") { continue }
            let cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let first = cells.first else { continue }
            rows.append((first.replacingOccurrences(of: "`", with: ""), Array(cells.dropFirst())))
        }
        return rows
    }

    static func backticked(_ cell: String) -> [String] {
        cell.matches(of: #/`([^`]+)`/#).map { String($0.1) }
    }

    @Test func vocabulariesAreTheEnumsCases() throws {
        let text = try Self.document()
        let rows = Self.tableRows(text[...], header: "| vocabulary | values |")
        var listed: [String: [String]] = [:]
        for row in rows {
            #expect(listed[row.name] == nil, "docs/interface.md lists vocabulary \"\(row.name)\" twice")
            listed[row.name] = Self.backticked(row.cells.first ?? "")
        }
        for (name, cases) in Self.vocabularies.sorted(by: { $0.key < $1.key }) {
            guard let values = listed[name] else {
                Issue.record("docs/interface.md has no `| \(name) | … |` row in a vocabulary table; the code's values: \(cases)")
                continue
            }
            #expect(values == cases, "docs/interface.md lists vocabulary \"\(name)\" as \(values); the Swift enum has \(cases)")
        }
        for name in Set(listed.keys).subtracting(Self.vocabularies.keys).sorted() {
            Issue.record("docs/interface.md lists vocabulary \"\(name)\", which this test does not check against an enum")
        }
    }

    // MARK: Config keys

    struct ConfigDoc {
        let example: String
        let tableKeys: [String]
    }

    /// §2's first JSON example and its `| key | …` table.
    static func configDoc() throws -> ConfigDoc {
        let section = try Self.section(2, of: try Self.document())
        let open = try #require(section.range(of: "```json\n"), "§2 has no ```json example")
        let close = try #require(section[open.upperBound...].range(of: "```"), "§2's example does not end")
        let keys = Self.tableRows(section, header: "| key |").map(\.name)
        return ConfigDoc(example: String(section[open.upperBound..<close.lowerBound]), tableKeys: keys)
    }

    /// Whether `path` (`sites[].key`) is in `value`, taking the first item of a list for `[]`.
    static func has(_ path: String, in value: JSONValue) -> Bool {
        var node: JSONValue? = value
        for part in path.split(separator: ".") {
            let isList = part.hasSuffix("[]")
            node = node?[String(isList ? part.dropLast(2) : part)]
            if isList {
                guard case .array(let items)? = node else { return false }
                node = items.first
            }
        }
        return node != nil
    }

    /// The example is a valid config, so every key it holds is accepted; the table holds exactly
    /// the keys the parser read or accepts in it; and every key of the table is in the example,
    /// so the parser entered every section the table names.
    @Test func configTableIsWhatTheParserReads() throws {
        let doc = try Self.configDoc()
        #expect(doc.tableKeys.count > 50)
        #expect(doc.tableKeys.count == Set(doc.tableKeys).count, "§2's table lists a key twice")
        let parsed: (config: CityConfig, keys: Set<String>)
        do {
            parsed = try CityConfig.parseRecordingKeys(Array(doc.example.utf8), file: "docs/interface.md §2")
        } catch {
            Issue.record("docs/interface.md §2's example is not a valid config: \(error)")
            return
        }
        let example = try JSONValue.parse(Array(doc.example.utf8), limits: .config)
        let table = Set(doc.tableKeys)
        for key in parsed.keys.subtracting(table).sorted() {
            Issue.record("CityConfig.parse reads or accepts `\(key)`, which docs/interface.md §2's table does not list")
        }
        for key in table.subtracting(parsed.keys).sorted() {
            Issue.record("docs/interface.md §2's table lists `\(key)`, which CityConfig.parse neither reads nor accepts")
        }
        for key in doc.tableKeys where !Self.has(key, in: example) {
            Issue.record("docs/interface.md §2's table lists `\(key)`, which its example lacks: give it a value there")
        }
        #expect(parsed.config.mail != nil && parsed.config.publicURL != nil)
    }

    /// The recording sees a key a config adds, and a section the document leaves out hides its keys:
    /// why the example must hold every key of the table.
    @Test func recordingFollowsTheDocument() throws {
        let doc = try Self.configDoc()
        guard case .object(var full) = try JSONValue.parse(Array(doc.example.utf8), limits: .config) else {
            Issue.record("§2's example is not an object")
            return
        }
        full["mail"] = nil
        let without = try CityConfig.parseRecordingKeys(Array(try JSONEncoder().encode(JSONValue.object(full))), file: "test")
        #expect(without.keys.contains("mail"))
        #expect(!without.keys.contains("mail.smtp_url"))
        #expect(without.config.mail == nil)
        #expect(throws: ConfigError.self) {
            var typo = full
            typo["retention_dayz"] = .number(1)
            _ = try CityConfig.parseRecordingKeys(Array(try JSONEncoder().encode(JSONValue.object(typo))), file: "test")
        }
    }

    @Test func pointsNowhereOutsideTheProject() throws {
        for file in ["docs/interface.md", "docs/README.md"] {
            let text = try String(contentsOf: TestApp.packageRoot.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("../shared") && !text.contains("CONTRACT.md"), "\(file) points outside the project")
        }
    }
}
