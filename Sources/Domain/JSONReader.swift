import Foundation

/// Reads fields out of a JSON object while collecting every broken rule,
/// so that one answer can list all invalid fields at once.
///
/// Used for both signal bodies and the config file; `path` is the dotted
/// location of this object inside the document ("" at the top). The broken rules are
/// ``errors``, a ``FieldErrors`` named by the reader's `subject` ("signal", "merge"):
/// what a handler throws.
public final class JSONReader {
    public let object: [String: JSONValue]
    public let path: String
    private let sink: ErrorSink

    final class ErrorSink {
        var errors = FieldErrors()
        /// When recording: every key a reader asked for or accepts (`rejectUnknownKeys`), as a
        /// path with list positions written `[]` (`sites[].key`). The config's keys come from here,
        /// so `docs/interface.md` is checked against the parser itself, not a copy of its list.
        var keys: Set<String>?
    }

    /// - Parameters:
    ///   - subject: names the input in the errors' problem title (`Invalid signal`).
    ///   - recordingKeys: remember every key asked for or accepted (``recordedKeys``).
    public init(_ object: [String: JSONValue], subject: String = "input", path: String = "", recordingKeys: Bool = false) {
        self.object = object
        self.path = path
        self.sink = ErrorSink()
        sink.errors.subject = subject
        if recordingKeys { sink.keys = [] }
    }

    private init(_ object: [String: JSONValue], path: String, sink: ErrorSink) {
        self.object = object
        self.path = path
        self.sink = sink
    }

    /// Every broken rule found so far, by this reader and the readers of its nested objects.
    public var errors: FieldErrors { sink.errors }

    /// The keys asked for or accepted by this reader and the readers of its nested objects,
    /// when made with `recordingKeys`; empty otherwise.
    public var recordedKeys: Set<String> { sink.keys ?? [] }

    /// The value of `key`, recorded when recording.
    private func lookup(_ key: String) -> JSONValue? {
        if sink.keys != nil { record(key) }
        return object[key]
    }

    private func record(_ key: String) {
        sink.keys?.insert(field(key).replacing(#/\[[0-9]+\]/#, with: "[]"))
    }

    /// The full path of `key` in this object.
    public func field(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    public func fail(_ key: String, _ message: String) {
        sink.errors.add(field(key), message)
    }

    /// Reports keys that are not in `known`.
    public func rejectUnknownKeys(_ known: Set<String>, message: String = "is not a known field") {
        if sink.keys != nil { known.forEach(record) }
        for key in object.keys.sorted() where !known.contains(key) {
            fail(key, message)
        }
    }

    public func has(_ key: String) -> Bool {
        if let v = lookup(key), v != .null { return true }
        return false
    }

    /// The value at `key`; nil (after "is required" when `required`) when it is absent or null.
    private func present(_ key: String, required: Bool) -> JSONValue? {
        guard let value = lookup(key), value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        return value
    }

    /// What `extract` finds in `value`; nil after "must be `what`, not …" when it finds nothing.
    private func typed<T>(_ key: String, _ value: JSONValue, _ what: String, _ extract: (JSONValue) -> T?) -> T? {
        if let found = extract(value) { return found }
        fail(key, "must be \(what), not \(value.typeName)")
        return nil
    }

    /// A string, trimmed, of at most `maxLength` characters and `maxBytes` bytes of UTF-8
    /// (4 × `maxLength` unless given): a character may hold any number of combining marks,
    /// so a limit in characters alone does not bound what is stored.
    public func string(
        _ key: String, required: Bool = false, maxLength: Int = 10_000, maxBytes: Int? = nil, allowEmpty: Bool = false
    ) -> String? {
        guard let value = present(key, required: required) else { return nil }
        guard let s = typed(key, value, "a string", \.stringValue) else { return nil }
        let trimmed = s.trimmingWhitespace()
        if trimmed.isEmpty && !allowEmpty {
            if required { fail(key, "must not be empty") }
            return nil
        }
        if trimmed.count > maxLength {
            fail(key, "must be at most \(maxLength) characters")
            return nil
        }
        let maxBytes = maxBytes ?? 4 * maxLength
        if trimmed.utf8.count > maxBytes {
            fail(key, "must be at most \(maxBytes) bytes")
            return nil
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            fail(key, "must not contain control characters")
            return nil
        }
        return trimmed
    }

    /// A string that must be one of an enum's raw values.
    public func oneOf<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E? where E.RawValue == String {
        guard let raw = string(key, required: required, maxLength: 100) else { return nil }
        guard let value = E(rawValue: raw) else {
            fail(key, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }

    public func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil, rangeMessage: String? = nil) -> Int? {
        guard let value = present(key, required: required) else { return nil }
        guard case .number(let d) = value, d.rounded() == d, abs(d) < 1e15 else {
            fail(key, value.typeName == "a number" ? "must be a whole number" : "must be a whole number, not \(value.typeName)")
            return nil
        }
        let i = Int(d)
        if let range, !range.contains(i) {
            fail(key, rangeMessage ?? "must be \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return i
    }

    public func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil) -> Double? {
        guard let value = present(key, required: required) else { return nil }
        guard case .number(let d) = value, d.isFinite else {
            fail(key, "must be a number, not \(value.typeName)")
            return nil
        }
        if let range, !range.contains(d) {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return d
    }

    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = present(key, required: required) else { return nil }
        return typed(key, value, "true or false") { if case .bool(let b) = $0 { b } else { nil } }
    }

    /// An RFC 3339 timestamp such as `2026-06-01T09:30:00Z`.
    public func timestamp(_ key: String, required: Bool = false) -> Date? {
        guard let s = string(key, required: required, maxLength: 40) else { return nil }
        guard let date = Timestamp.parse(s) else {
            fail(key, "must be an RFC 3339 timestamp such as 2026-06-01T09:30:00Z")
            return nil
        }
        return date
    }

    /// A nested object, read by its own reader that reports into the same list.
    public func object(_ key: String, required: Bool = false) -> JSONReader? {
        guard let value = present(key, required: required) else { return nil }
        guard let o = typed(key, value, "an object", { if case .object(let o) = $0 { o } else { nil } }) else { return nil }
        return JSONReader(o, path: field(key), sink: sink)
    }

    /// A list of objects, each read by its own reader. `nonEmpty` reports an empty list.
    public func objects(_ key: String, required: Bool = false, nonEmpty: Bool = false) -> [JSONReader] {
        guard let value = present(key, required: required) else { return [] }
        guard let items = typed(key, value, "a list", { if case .array(let a) = $0 { a } else { nil } }) else { return [] }
        if nonEmpty && items.isEmpty { fail(key, "must not be empty") }
        var readers: [JSONReader] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else {
                sink.errors.add("\(field(key))[\(i)]", "must be an object, not \(item.typeName)")
                continue
            }
            readers.append(JSONReader(o, path: "\(field(key))[\(i)]", sink: sink))
        }
        return readers
    }

    /// A list of strings.
    public func strings(_ key: String, required: Bool = false, nonEmpty: Bool = false) -> [String] {
        guard let value = present(key, required: required) else { return [] }
        guard let items = typed(key, value, "a list", { if case .array(let a) = $0 { a } else { nil } }) else { return [] }
        if nonEmpty && items.isEmpty { fail(key, "must not be empty") }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, !s.isEmpty else {
                sink.errors.add("\(field(key))[\(i)]", "must be a non-empty string")
                continue
            }
            out.append(s)
        }
        return out
    }

    /// A name: a plain string or a map of language to string.
    public func localizedText(_ key: String, required: Bool = false) -> LocalizedText? {
        guard let value = present(key, required: required) else { return nil }
        switch value {
        case .string(let s) where !s.isEmpty:
            return LocalizedText(plain: s)
        case .object(let o) where !o.isEmpty:
            var texts: [String: String] = [:]
            for (lang, v) in o {
                guard case .string(let s) = v, !s.isEmpty else {
                    sink.errors.add("\(field(key)).\(lang)", "must be a non-empty string")
                    continue
                }
                texts[lang] = s
            }
            return LocalizedText(texts)
        default:
            fail(key, "must be a non-empty string or a map of language to string")
            return nil
        }
    }
}
