import CallLog
import Domain
import Foundation
import Logging
import Testing

struct CallEventParseTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        var name: String
        var fields: [String: [String]]
        var expected: CallEvent
        var testDescription: String { name }
    }

    static let accepted: [Accepted] = [
        Accepted(
            name: "Zammad newCall form with repeated user[]",
            fields: [
                "event": ["newCall"], "callId": ["f0c9a2"], "from": ["+3259123456"], "to": ["080018400"],
                "direction": ["in"], "user[]": ["Els", "Jan"],
            ],
            expected: CallEvent(
                kind: .newCall, callId: "f0c9a2", from: "+3259123456", to: "080018400", direction: .inbound,
                users: ["Els", "Jan"])),
        Accepted(
            name: "call_id spelling, direction absent means in",
            fields: ["event": ["answer"], "call_id": ["42"], "user": ["Els"], "answeringNumber": ["201"]],
            expected: CallEvent(kind: .answer, callId: "42", users: ["Els"], answeringNumber: "201")),
        Accepted(
            name: "user and user[] merge, repeats and blanks dropped",
            fields: ["event": ["newCall"], "callId": ["7"], "user": ["Els"], "user[]": ["Jan", "Els", " ", "Mia"]],
            expected: CallEvent(kind: .newCall, callId: "7", users: ["Els", "Jan", "Mia"])),
        Accepted(
            name: "hangup with a known cause and anonymous caller",
            fields: ["event": ["hangup"], "callId": ["9"], "from": ["anonymous"], "cause": ["noAnswer"]],
            expected: CallEvent(kind: .hangup, callId: "9", from: "anonymous", cause: .noAnswer)),
        Accepted(
            name: "unknown cause is kept, not refused",
            fields: ["event": ["hangup"], "callId": ["9"], "cause": ["rejectedByPolicy"]],
            expected: CallEvent(kind: .hangup, callId: "9", cause: .other("rejectedByPolicy"))),
        Accepted(
            name: "names match without regard to case, values are trimmed",
            fields: ["event": [" HANGUP "], "callId": [" 9 "], "direction": ["OUT"], "cause": ["Busy"]],
            expected: CallEvent(kind: .hangup, callId: "9", direction: .outbound, cause: .busy)),
        Accepted(
            name: "unknown extra fields and empty optional values are ignored",
            fields: [
                "event": ["newCall"], "callId": ["5"], "queue": [""], "zammad_version": ["6.4"],
                "sipgate[]": ["x", "y"],
            ],
            expected: CallEvent(kind: .newCall, callId: "5")),
        Accepted(
            name: "same value twice is not a conflict",
            fields: ["event": ["answer", "answer"], "callId": ["5"], "call_id": ["5"]],
            expected: CallEvent(kind: .answer, callId: "5")),
        Accepted(
            name: "own time in RFC 3339 with an offset",
            fields: ["event": ["newCall"], "callId": ["5"], "time": ["2026-03-29T03:30:00+02:00"]],
            expected: CallEvent(kind: .newCall, callId: "5", time: Date(timeIntervalSince1970: 1_774_747_800))),
        Accepted(
            name: "own time as Unix seconds under timestamp",
            fields: ["event": ["newCall"], "callId": ["5"], "timestamp": ["1767225600"]],
            expected: CallEvent(kind: .newCall, callId: "5", time: instant("2026-01-01T00:00:00Z"))),
        Accepted(
            name: "time wins over timestamp",
            fields: [
                "event": ["newCall"], "callId": ["5"], "time": ["2026-01-01T00:00:00Z"], "timestamp": ["0"],
            ],
            expected: CallEvent(kind: .newCall, callId: "5", time: Date(timeIntervalSince1970: 1_767_225_600))),
        Accepted(
            name: "callId of exactly 128 characters",
            fields: ["event": ["newCall"], "callId": [String(repeating: "a", count: 128)]],
            expected: CallEvent(kind: .newCall, callId: String(repeating: "a", count: 128))),
    ]

    @Test(arguments: accepted)
    func acceptsEvent(_ example: Accepted) throws {
        #expect(try CallEvent.parse(example.fields) == example.expected)
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        var name: String
        var fields: [String: [String]]
        var errors: [FieldError]
        var testDescription: String { name }
    }

    static let refused: [Refused] = [
        Refused(
            name: "missing callId is named callId",
            fields: ["event": ["newCall"], "from": ["+3259123456"]],
            errors: [.init(field: "callId", message: "is required")]),
        Refused(
            name: "blank call_id counts as missing and is named callId",
            fields: ["event": ["newCall"], "call_id": ["  "]],
            errors: [.init(field: "callId", message: "is required")]),
        Refused(
            name: "unknown event",
            fields: ["event": ["ringing"], "callId": ["1"]],
            errors: [.init(field: "event", message: "must be one of newCall, answer, hangup")]),
        Refused(
            name: "missing event",
            fields: ["callId": ["1"]],
            errors: [.init(field: "event", message: "is required")]),
        Refused(
            name: "unknown direction",
            fields: ["event": ["newCall"], "callId": ["1"], "direction": ["inbound"]],
            errors: [.init(field: "direction", message: "must be one of in, out")]),
        Refused(
            name: "every bad field at once, in documented order",
            fields: [
                "event": ["ring"], "direction": ["sideways"], "time": ["yesterday"],
                "queue": [String(repeating: "q", count: 129)],
            ],
            errors: [
                .init(field: "event", message: "must be one of newCall, answer, hangup"),
                .init(field: "callId", message: "is required"),
                .init(field: "direction", message: "must be one of in, out"),
                .init(field: "queue", message: "must be at most 128 characters"),
                .init(field: "time", message: "must be an RFC 3339 timestamp or Unix seconds"),
            ]),
        Refused(
            name: "callId longer than 128 characters",
            fields: ["event": ["newCall"], "callId": [String(repeating: "x", count: 129)]],
            errors: [.init(field: "callId", message: "must be at most 128 characters")]),
        Refused(
            name: "callId and call_id that disagree",
            fields: ["event": ["newCall"], "callId": ["1"], "call_id": ["2"]],
            errors: [.init(field: "callId", message: "must equal call_id when both are given")]),
        Refused(
            name: "a scalar given twice with different values",
            fields: ["event": ["newCall", "hangup"], "callId": ["1"]],
            errors: [.init(field: "event", message: "must be given only once")]),
        Refused(
            name: "bad timestamp named by the key used",
            fields: ["event": ["newCall"], "callId": ["1"], "timestamp": ["1e9"]],
            errors: [.init(field: "timestamp", message: "must be an RFC 3339 timestamp or Unix seconds")]),
        Refused(
            name: "an agent name that is too long",
            fields: ["event": ["answer"], "callId": ["1"], "user[]": ["Els", String(repeating: "n", count: 129)]],
            errors: [.init(field: "user", message: "must hold names of at most 128 characters")]),
        Refused(
            name: "a number of one character and 513 bytes (issue 9, item 8)",
            fields: ["event": ["newCall"], "callId": ["1"], "from": ["1" + String(repeating: "\u{301}", count: 256)]],
            errors: [.init(field: "from", message: "must be at most 512 bytes")]),
        Refused(
            name: "an agent name of combining marks",
            fields: ["event": ["answer"], "callId": ["1"], "user": ["E" + String(repeating: "\u{301}", count: 256)]],
            errors: [.init(field: "user", message: "must hold names of at most 512 bytes")]),
    ]

    /// The body reader the CTI route uses: form and JSON give the same fields, a bad body says why.
    @Test func ctiBodyReadsFormsAndJSON() throws {
        let form = try CTIBody.fields(
            body: Array("event=newCall&callId=42&user%5B%5D=An&user[]=Bert".utf8),
            mediaType: "application/x-www-form-urlencoded; charset=utf-8", query: [("queue", "o-punt")])
        #expect(form == ["event": ["newCall"], "callId": ["42"], "user[]": ["An", "Bert"], "queue": ["o-punt"]])
        let json = try CTIBody.fields(body: Array(#"{"event": "hangup", "call_id": 7, "user": ["An", null]}"#.utf8), mediaType: nil)
        #expect(json == ["event": ["hangup"], "call_id": ["7"], "user": ["An"]])
        #expect(throws: CTIBody.DecodeError.badBody("The body is not valid JSON: duplicate key \"event\" at byte 20.")) {
            try CTIBody.fields(body: Array(#"{"event": "answer", "event": "hangup"}"#.utf8), mediaType: "application/json")
        }
        #expect(throws: CTIBody.DecodeError.badBody("The form body has more than 500 fields.")) {
            try CTIBody.fields(body: Array(repeating: Array("a=1&".utf8), count: 501).flatMap { $0 }, mediaType: nil)
        }
    }

    @Test(arguments: refused)
    func refusesEvent(_ example: Refused) {
        #expect(throws: FieldErrors("call event", example.errors)) {
            try CallEvent.parse(example.fields)
        }
    }

    @Test func errorReadsAsOneSentence() {
        let error = FieldErrors("call event", [
            .init(field: "callId", message: "is required"),
            .init(field: "direction", message: "must be one of in, out"),
        ])
        #expect(error.description == "callId is required; direction must be one of in, out")
    }

    struct Stamp: Sendable, CustomTestStringConvertible {
        var text: String
        /// Seconds since 1970 worked out outside this module (GNU date, Python), or nil when refused.
        var seconds: Double?
        var testDescription: String { text }
    }

    static let stamps: [Stamp] = [
        Stamp(text: "2026-01-01T00:00:00Z", seconds: 1_767_225_600),
        Stamp(text: "2026-01-01t00:00:00z", seconds: 1_767_225_600),
        Stamp(text: "2026-01-01 00:00:00Z", seconds: 1_767_225_600),
        Stamp(text: "2026-03-29T03:30:00+02:00", seconds: 1_774_747_800),
        Stamp(text: "2026-05-04T10:15:30.250-03:30", seconds: 1_777_902_330.25),
        Stamp(text: "2024-02-29T23:59:59Z", seconds: 1_709_251_199),
        Stamp(text: "1767225600", seconds: 1_767_225_600),
        Stamp(text: "1767225600.5", seconds: 1_767_225_600.5),
        Stamp(text: "2026-02-29T00:00:00Z", seconds: nil),
        Stamp(text: "2026-01-01T24:00:00Z", seconds: nil),
        Stamp(text: "2026-01-01T00:00:00", seconds: nil),
        Stamp(text: "2026-01-01T00:00:00+0200", seconds: nil),
        Stamp(text: "2026-01-01", seconds: nil),
        Stamp(text: "-5", seconds: nil),
        Stamp(text: "nan", seconds: nil),
        Stamp(text: "1.", seconds: nil),
        Stamp(text: "99999999999999", seconds: nil),
    ]

    @Test(arguments: stamps)
    func readsOwnTime(_ stamp: Stamp) throws {
        let fields = ["event": ["newCall"], "callId": ["1"], "time": [stamp.text]]
        if let seconds = stamp.seconds {
            let event = try CallEvent.parse(fields)
            #expect(event.time == Date(timeIntervalSince1970: seconds))
        } else {
            #expect(throws: FieldErrors.self) { try CallEvent.parse(fields) }
        }
    }

    @Test func logOutputLeavesNumbersAndNamesOut() throws {
        let event = try CallEvent.parse([
            "event": ["hangup"], "callId": ["c-77"], "from": ["+3259123456"], "to": ["080018400"],
            "user[]": ["Els Peeters"], "cause": ["cancel"],
        ])
        let metadata = event.logMetadata
        #expect(Set(metadata.keys) == ["call.id", "call.event", "call.direction", "call.cause"])
        #expect(metadata["call.cause"] == "cancel")
        let rendered = "\(event) \(metadata)"
        for secret in ["+3259123456", "080018400", "Els Peeters"] {
            #expect(!rendered.contains(secret))
        }
        #expect(event.description == "hangup of call c-77 (in, cause cancel)")
    }
}
