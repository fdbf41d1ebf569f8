import Domain
import Foundation

/// The decoded body of a CTI push while ``CallEvent/parse(_:)`` reads it:
/// normalised keys, and the bad fields found so far ("Invalid call event"), named as the
/// exchange sent them (`callId`, `direction`).
struct CallEventFields {
    private var values: [String: [String]] = [:]
    private(set) var errors = FieldErrors("call event")

    init(_ raw: [String: [String]]) {
        // Sorted, so `user` comes before `user[]` and the merge does not depend on hashing.
        for key in raw.keys.sorted() {
            let name = key.hasSuffix("[]") ? String(key.dropLast(2)) : key
            let cleaned = raw[key, default: []]
                .map { $0.trimmingWhitespace() }
                .filter { !$0.isEmpty }
            values[name, default: []].append(contentsOf: cleaned)
        }
    }

    mutating func fail(_ field: String, _ message: String) {
        errors.add(field, message)
    }

    /// Whether the field holds a value that is not blank.
    func has(_ field: String) -> Bool {
        values[field]?.isEmpty == false
    }

    /// The one value of a scalar field; nil when absent, or (recording the error) when given twice differently.
    mutating func single(_ field: String) -> String? {
        let given = values[field, default: []]
        guard let first = given.first else { return nil }
        guard given.allSatisfy({ $0 == first }) else {
            fail(field, "must be given only once")
            return nil
        }
        return first
    }

    /// A free-text scalar field, at most ``CallEvent/maximumFieldLength`` characters and ``CallEvent/maximumFieldBytes`` bytes.
    mutating func text(_ field: String) -> String? {
        guard let value = single(field) else { return nil }
        guard value.count <= CallEvent.maximumFieldLength else {
            fail(field, "must be at most \(CallEvent.maximumFieldLength) characters")
            return nil
        }
        guard value.utf8.count <= CallEvent.maximumFieldBytes else {
            fail(field, "must be at most \(CallEvent.maximumFieldBytes) bytes")
            return nil
        }
        return value
    }

    /// A list of names, in order, without repeats.
    mutating func names(_ field: String) -> [String] {
        var seen = Set<String>()
        let names = values[field, default: []].filter { seen.insert($0).inserted }
        if names.contains(where: { $0.count > CallEvent.maximumFieldLength }) {
            fail(field, "must hold names of at most \(CallEvent.maximumFieldLength) characters")
            return []
        }
        if names.contains(where: { $0.utf8.count > CallEvent.maximumFieldBytes }) {
            fail(field, "must hold names of at most \(CallEvent.maximumFieldBytes) bytes")
            return []
        }
        return names
    }

    /// The call's id from `callId` or `call_id`; errors are named after the spelling the exchange used.
    mutating func callId() -> String? {
        let hasCamel = has("callId")
        let hasSnake = has("call_id")
        switch (hasCamel, hasSnake) {
        case (false, false):
            fail("callId", "is required")
            return nil
        case (true, false):
            return text("callId")
        case (false, true):
            return text("call_id")
        case (true, true):
            let camel = text("callId")
            let snake = text("call_id")
            if let camel, let snake, camel != snake {
                fail("callId", "must equal call_id when both are given")
                return nil
            }
            return camel ?? snake
        }
    }

    /// The name the exchange gave the event's own time: `time`, else `timestamp`.
    var timeField: String {
        has("time") ? "time" : "timestamp"
    }

    /// The event's own time from `time`, else `timestamp`.
    mutating func time() -> Date? {
        let field = timeField
        guard let text = single(field) else { return nil }
        guard let date = EventTimestamp.parse(text) else {
            fail(field, "must be an RFC 3339 timestamp or Unix seconds")
            return nil
        }
        return date
    }
}
