import Foundation

/// Reads a query string's arguments as `JSONReader` reads a body: every bad argument is
/// collected in ``errors`` (thrown as "Invalid query", 422), each rule worded once.
///
/// An argument that is absent or empty counts as not given.
public final class QueryReader {
    public private(set) var errors = FieldErrors("query")
    private let value: (String) -> String?

    /// - Parameter value: the first value of a query argument, as given.
    public init(_ value: @escaping (String) -> String?) {
        self.value = value
    }

    /// The argument, nil when absent or empty.
    public func string(_ name: String) -> String? {
        guard let s = value(name), !s.isEmpty else { return nil }
        return s
    }

    public func fail(_ name: String, _ message: String) {
        errors.add(name, message)
    }

    /// Throws ``errors`` when an argument broke a rule.
    public func check() throws(FieldErrors) {
        if !errors.isEmpty { throw errors }
    }

    /// A comma list of values of `E`; empty when not given. Blanks around a value are ignored,
    /// a repeated value counts once.
    public func list<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) -> [E] where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        return words(name, allowed: Set(allowed)) { word in
            "must be one or more of \(allowed.joined(separator: ", ")) (comma-separated), not \"\(word.prefix(40))\""
        }.compactMap(E.init(rawValue:))
    }

    /// A decimal number in `range` (such as a latitude); nil when absent or broken (then noted).
    public func double(_ name: String, range: ClosedRange<Double>, required: Bool = false) -> Double? {
        guard let raw = string(name) else {
            if required { fail(name, "is required") }
            return nil
        }
        guard raw.utf8.count <= 32, raw.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let d = Double(raw), d.isFinite, range.contains(d)
        else {
            fail(name, "must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
            return nil
        }
        return d
    }

    /// A comma list of keys from `known` (the config's); empty when not given.
    public func keys(_ name: String, known: Set<String>) -> [String] {
        words(name, allowed: known) { "unknown key \"\($0.prefix(60))\"" }
    }

    private func words(_ name: String, allowed: Set<String>, refusal: (String) -> String) -> [String] {
        guard let raw = string(name) else { return [] }
        var out: [String] = []
        for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let word = part.trimmingCharacters(in: .whitespaces)
            guard allowed.contains(word) else {
                fail(name, refusal(word))
                return []
            }
            if !out.contains(word) { out.append(word) }
        }
        return out
    }

    /// `format`: json (when not given) or csv.
    public func format() -> ReportQuery.Format {
        guard let s = string("format") else { return .json }
        guard let format = ReportQuery.Format(rawValue: s) else {
            fail("format", "must be json or csv")
            return .json
        }
        return format
    }

    /// One value of `E`, or nil when not given.
    public func oneOf<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) -> E? where E.RawValue == String {
        guard let s = string(name) else { return nil }
        guard let v = E(rawValue: s) else {
            fail(name, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return v
    }

    /// A day `YYYY-MM-DD` in the city's time zone.
    public func day(_ name: String, required: Bool = false) -> LocalDay? {
        guard let s = string(name) else {
            if required { fail(name, "is required: a day YYYY-MM-DD in the city's time zone") }
            return nil
        }
        guard let d = LocalDay(s) else {
            fail(name, "must be a day YYYY-MM-DD")
            return nil
        }
        return d
    }

    /// `from` and `to`, both days included; `to` not before `from`.
    public func days(required: Bool = false) -> (from: LocalDay?, to: LocalDay?) {
        let from = day("from", required: required)
        let to = day("to", required: required)
        if let from, let to, to < from { fail("to", "must not be before from") }
        return (from, to)
    }

    /// `limit`: 1 to 500, `default` when not given (docs/interface.md §4).
    public func limit(default fallback: Int = 50) -> Int {
        guard let s = string("limit") else { return fallback }
        guard let n = Int(s), (1...500).contains(n) else {
            fail("limit", "must be 1 to 500")
            return fallback
        }
        return n
    }

    /// `cursor`: a position in a list this service gave out (``PageCursor``).
    public func cursor(tag: String?) -> (Int64, Int64)? {
        guard let s = string("cursor") else { return nil }
        guard let fields = PageCursor.decode(s, tag: tag) else {
            fail("cursor", "is not a cursor this service gave out")
            return nil
        }
        return fields
    }
}

/// The one cursor codec: a tag and two numbers, `tag:a:b` (or `a:b`), in unpadded base64url.
public enum PageCursor {
    public static func encode(_ a: Int64, _ b: Int64, tag: String?) -> String {
        Data(((tag.map { [$0] } ?? []) + ["\(a)", "\(b)"]).joined(separator: ":").utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// The two numbers of a cursor this codec made with `tag`; nil for anything else.
    public static func decode(_ text: String, tag: String?) -> (Int64, Int64)? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 64, let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8)
        else { return nil }
        var parts = decoded.split(separator: ":")
        if let tag {
            guard parts.first == Substring(tag) else { return nil }
            parts.removeFirst()
        }
        guard parts.count == 2, let a = Int64(parts[0]), let b = Int64(parts[1]) else { return nil }
        return (a, b)
    }
}
