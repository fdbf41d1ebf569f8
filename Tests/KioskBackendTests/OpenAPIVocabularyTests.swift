import CallLog
import Domain
import Foundation
@testable import KioskBackend
import Testing

/// The served `/openapi.json` says what the Swift code does: its enums are the Swift vocabularies and
/// a new signal's `maxLength`s are ``SignalRules``' (tools/openapi.py writes the document; this is
/// what keeps it from drifting).
struct OpenAPIVocabularyTests {
    static func values<E: RawRepresentable & CaseIterable>(_: E.Type) -> [String] where E.RawValue == String {
        E.allCases.map(\.rawValue)
    }

    /// Every vocabulary the interface names, as the Swift code has it.
    static let vocabularies: [String: [String]] = [
        "SignalKind": values(SignalKind.self), "Channel": values(Channel.self), "Reporter": values(Reporter.self),
        "SignalRoute": values(SignalRoute.self), "Nature": values(Nature.self), "SignalStatus": values(SignalStatus.self),
        "ComplaintOutcome": values(ComplaintOutcome.self), "CallOutcome": values(CallOutcome.self),
        "CallState": values(CallState.self), "CallDirection": values(CallDirection.self),
        "FeedbackReason": values(FeedbackReason.self), "MessageKind": values(MessageKind.self),
        "MessageStatus": values(MessageStatus.self), "AnswerDelivery": values(AnswerDelivery.self),
    ]

    /// Every `enum` array in the document, with where it stands.
    static func enums(_ value: JSONValue, at path: String = "", into out: inout [(path: String, values: [String])]) {
        if let object = value.objectValue {
            if let list = object["enum"]?.array { out.append((path, list.compactMap(\.string))) }
            for (key, child) in object { enums(child, at: path + "/" + key, into: &out) }
        } else if let list = value.array {
            for (i, child) in list.enumerated() { enums(child, at: path + "/\(i)", into: &out) }
        }
    }

    /// An enum that shares two or more values with a Swift vocabulary is that vocabulary, value for
    /// value and in order (one that shares a single word, like a call's `answered` state and a
    /// signal's `answered` status, is another list); and every vocabulary is in the document.
    @Test func everyEnumIsASwiftVocabularyAndEveryVocabularyIsDocumented() async throws {
        let served = try await OpenAPITests.served()
        var found: [(path: String, values: [String])] = []
        Self.enums(.object(served.document), into: &found)
        #expect(found.count > 20)
        var seen: Set<String> = []
        for e in found {
            let related = Self.vocabularies.filter { Set($0.value).intersection(e.values).count >= 2 }
            guard !related.isEmpty else { continue }
            let same = related.filter { $0.value == e.values }
            #expect(!same.isEmpty, "\(e.path): \(e.values) differs from \(related.map { "\($0.key) \($0.value)" })")
            seen.formUnion(same.keys)
        }
        #expect(seen == Set(Self.vocabularies.keys), "not in openapi.json: \(Set(Self.vocabularies.keys).subtracting(seen).sorted())")
    }

    @Test func newSignalLimitsAreTheIntakeRules() async throws {
        let served = try await OpenAPITests.served()
        let schemas = try #require(served.document["components"]?["schemas"]?.objectValue)
        func maxLength(_ schema: String, _ property: String) -> Int? {
            guard let p = schemas[schema]?["properties"]?[property] else { return nil }
            // A nullable property is {"anyOf": [schema, {"type": "null"}]} or carries the keyword itself.
            let candidates = [p] + (p["anyOf"]?.array ?? []) + (p["oneOf"]?.array ?? [])
            return candidates.compactMap { $0["maxLength"]?.intValue }.first
        }
        #expect(maxLength("NewSignal", "description") == SignalRules.descriptionMaxLength)
        #expect(maxLength("NewSignal", "address") == SignalRules.addressMaxLength)
        #expect(maxLength("NewSignal", "same_as") == SignalRules.sameAsMaxLength)
        #expect(maxLength("Contact", "name") == SignalRules.contactNameMaxLength)
        #expect(maxLength("Contact", "email") == SignalRules.emailMaxLength)
        #expect(maxLength("Contact", "phone") == SignalRules.phoneMaxLength)
    }

    /// What the pages read is what the intake checks.
    @Test func configServesTheIntakeRules() async throws {
        let app = try TestApp()
        let rules = try #require(await app.get("/api/v1/config").object()["rules"])
        #expect(rules["max_length"]?["description"]?.intValue == SignalRules.descriptionMaxLength)
        #expect(rules["max_length"]?["contact.phone"]?.intValue == SignalRules.phoneMaxLength)
        #expect(rules["email_pattern"]?.string == SignalRules.emailPattern)
        #expect(rules["phone_pattern"]?.string == SignalRules.phonePattern)
        #expect(rules["phone_min_digits"]?.intValue == SignalRules.phoneMinDigits)
    }
}
