import Domain
import Foundation
import Testing

/// The satisfaction question's rules (docs/interface.md §12) as pure functions with the clock passed in.
struct FeedbackTests {
    typealias B = BackOfficeFixtures

    @Test func theReasonsAreAFixedVocabularyInPageOrder() {
        #expect(FeedbackReason.allCases.map(\.rawValue) == [
            "not_understandable", "incomplete", "too_late", "disagree", "not_solved", "other",
        ])
    }

    @Test func aFullAnswerIsRead() throws {
        let answer = try FeedbackAnswer.read(B.body(
            #"{"satisfied": false, "reasons": ["other", "too_late"], "text": "  Te laat en onvolledig. ", "ombudsman": true}"#))
        // Reasons come back in vocabulary order, the text trimmed.
        #expect(answer == FeedbackAnswer(satisfied: false, reasons: [.tooLate, .other], text: "Te laat en onvolledig.", ombudsman: true))
    }

    @Test func onlySatisfiedIsRequired() throws {
        #expect(try FeedbackAnswer.read(B.body(#"{"satisfied": true}"#)) == FeedbackAnswer(satisfied: true))
        #expect(try FeedbackAnswer.read(B.body(#"{"satisfied": true, "reasons": [], "text": "", "ombudsman": false}"#))
            == FeedbackAnswer(satisfied: true))
    }

    @Test(arguments: [
        (#"{}"#, ["satisfied is required"]),
        (#"{"satisfied": "no"}"#, ["satisfied must be true or false, not a string"]),
        (#"{"satisfied": true, "ombudsman": true}"#, ["ombudsman may only be true when not satisfied"]),
        (#"{"satisfied": true, "reasons": ["too_late"]}"#, ["reasons are only given when not satisfied"]),
        (#"{"satisfied": false, "reasons": ["slow"]}"#,
         ["reasons item 0 must be one of not_understandable, incomplete, too_late, disagree, not_solved, other"]),
        (#"{"satisfied": false, "reasons": ["other", "other"]}"#, ["reasons must not repeat other"]),
        (#"{"satisfied": false, "reasons": "other"}"#, ["reasons must be a list, not a string"]),
        (#"{"satisfied": false, "reasons": ["a","b","c","d","e","f","g"]}"#, ["reasons must hold at most 6 reasons"]),
        (#"{"satisfied": false, "mood": 3}"#, ["mood is not a known field"]),
    ])
    func brokenRulesAreNamed(body: String, messages: [String]) {
        #expect(throws: FieldErrors("feedback", messages.map(Self.fieldError))) {
            try FeedbackAnswer.read(B.body(body))
        }
    }

    @Test func theTextIsLimitedInCharactersAndInBytes() {
        let long = String(repeating: "a", count: FeedbackAnswer.maxText + 1)
        #expect(throws: FieldErrors("feedback", [Self.fieldError("text must be at most 2000 characters")])) {
            try FeedbackAnswer.read(["satisfied": .bool(false), "text": .string(long)])
        }
        // One character holding many combining marks: few characters, many bytes.
        let heavy = "e" + String(repeating: "\u{0301}", count: 4001)
        #expect(throws: FieldErrors("feedback", [Self.fieldError("text must be at most 8000 bytes")])) {
            try FeedbackAnswer.read(["satisfied": .bool(false), "text": .string(heavy)])
        }
        #expect(throws: Never.self) {
            try FeedbackAnswer.read(["satisfied": .bool(false), "text": .string(String(repeating: "é", count: FeedbackAnswer.maxText))])
        }
    }

    @Test func aQuestionIsAnsweredOnceUntilItExpires() {
        let asked = B.received
        let expires = asked.addingTimeInterval(14 * 86_400)
        let open = FeedbackQuestion(askedAt: asked, expiresAt: expires)
        #expect(open.refusal(at: asked) == nil)
        #expect(open.refusal(at: expires.addingTimeInterval(-0.001)) == nil)
        #expect(open.refusal(at: expires) == .expired)
        #expect(open.isExpired(at: expires))

        let given = FeedbackQuestion(askedAt: asked, expiresAt: expires, givenAt: asked.addingTimeInterval(60))
        #expect(given.refusal(at: asked.addingTimeInterval(120)) == .alreadyGiven)
        // Given in time and asked again after expiry: the reporter hears it was taken, not that it is late.
        #expect(given.refusal(at: expires.addingTimeInterval(86_400)) == .alreadyGiven)
    }

    static func fieldError(_ text: String) -> FieldError {
        let space = text.firstIndex(of: " ")!
        return FieldError(field: String(text[..<space]), message: String(text[text.index(after: space)...]))
    }
}

/// The status page's view of a signal (docs/interface.md §12): nothing personal, the due date, the answer
/// once given, and one miss for every wrong input.
struct ReporterStatusTests {
    typealias B = BackOfficeFixtures
    static let key = "ABCDEFGHJK23456789MN"

    func signal(_ configure: (inout Signal) -> Void = { _ in }) -> Signal {
        B.signal { s in
            s.statusKey = Self.key
            configure(&s)
        }
    }

    func lookup(_ key: String, _ stored: Signal?) -> ReporterStatus? {
        ReporterStatus.lookup(key: key, stored: stored, deadlines: B.config.deadlines, timeZone: B.config.timeZone)
    }

    @Test func theRightKeyShowsTheStatusWithItsDueDate() throws {
        let status = try #require(lookup(Self.key, signal()))
        #expect(status.reference == "OP-AAAA-BBBB")
        #expect(status.kind == .complaint)
        #expect(status.status == .received)
        #expect(status.receivedAt == B.received)
        #expect(status.dueAt == B.config.deadlines.dueAt(receivedAt: B.received, kind: .complaint, timeZone: B.config.timeZone))
        #expect(status.dueAt > B.received)
        #expect(status.answer == nil && status.answeredAt == nil)
    }

    @Test func aKeyAsAPersonTypesItStillFits() {
        #expect(lookup("abcde-fghjk 23456-789mn", signal()) != nil)
    }

    @Test(arguments: ["", "ABCDEFGHJK23456789MP", "ABCDEFGHJK23456789M", "ABCDEFGHJK23456789MNX", "ABCDEFGHJK23456789M0",
                      String(repeating: "2", count: 20)])
    func everyMissIsTheSame(key: String) {
        #expect(lookup(key, signal()) == nil)
        #expect(lookup(key, nil) == nil)
        #expect(lookup(key, signal { $0.statusKey = nil }) == nil)
    }

    @Test func theAnswerShowsOnceItWasGiven() throws {
        let drafted = try #require(lookup(Self.key, signal { s in s.status = .inProgress; s.answer = "Nog niet verstuurd" }))
        #expect(drafted.answer == nil)
        let answeredAt = B.received.addingTimeInterval(3 * 86_400)
        let answered = try #require(lookup(Self.key, signal { s in
            s.status = .answered
            s.answer = "We hebben het opgeruimd."
            s.answeredAt = answeredAt
        }))
        #expect(answered.status == .answered)
        #expect(answered.answer == "We hebben het opgeruimd.")
        #expect(answered.answeredAt == answeredAt)
    }
}
