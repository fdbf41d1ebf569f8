import CallLog
import Domain
import Foundation
import Testing

/// Issue 9: the exchange's own event times are trusted only near the service's clock.
struct CallEventWindowTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-28T…Z
    static let window = CallEventWindow(behindMinutes: 1440, aheadMinutes: 5)

    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var fields: [String: [String]]
        /// nil when accepted; else the field named in the error.
        var refusedField: String?
        var testDescription: String { name }
    }

    static func event(_ extra: [String: [String]]) -> [String: [String]] {
        ["event": ["hangup"], "callId": ["w-1"]].merging(extra) { $1 }
    }

    static let examples: [Example] = [
        Example(name: "no own time: the arrival counts", fields: event([:]), refusedField: nil),
        Example(name: "now", fields: event(["time": ["\(Int(now.timeIntervalSince1970))"]]), refusedField: nil),
        Example(name: "24 hours back, the edge", fields: event(["time": ["\(Int(now.timeIntervalSince1970) - 86_400)"]]), refusedField: nil),
        Example(name: "5 minutes ahead, the edge", fields: event(["time": ["\(Int(now.timeIntervalSince1970) + 300)"]]), refusedField: nil),
        Example(name: "a second more than 24 hours back", fields: event(["time": ["\(Int(now.timeIntervalSince1970) - 86_401)"]]), refusedField: "time"),
        Example(name: "a second more than 5 minutes ahead", fields: event(["time": ["\(Int(now.timeIntervalSince1970) + 301)"]]), refusedField: "time"),
        Example(name: "time 0 (1970)", fields: event(["time": ["0"]]), refusedField: "time"),
        Example(name: "year 9999", fields: event(["time": ["9999-12-31T23:59:59Z"]]), refusedField: "time"),
        Example(name: "named as the exchange spelled it", fields: event(["timestamp": ["0"]]), refusedField: "timestamp"),
    ]

    @Test(arguments: examples)
    func window(_ example: Example) throws {
        let event = try CallEvent.parse(example.fields)
        let result = Result { () throws(FieldErrors) in try Self.window.check(event, fields: example.fields, now: Self.now) }
        switch (result, example.refusedField) {
        case (.success, nil):
            break
        case (.failure(let error), let field?):
            #expect(
                error == FieldErrors("call event", [
                    FieldError(
                        field: field,
                        message: "must be at most 1440 minutes before and 5 minutes after the service's clock (\(Timestamp.format(Self.now)))")
                ]))
        default:
            Issue.record("expected \(example.refusedField.map { "a refusal naming \($0)" } ?? "acceptance"), got \(result)")
        }
    }
}
