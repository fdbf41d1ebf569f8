import Domain
import Testing

/// `FieldErrors` is the one "these fields are wrong" error: a reader collects into it under its
/// subject, nested objects included, and it counts and reads itself in one wording.
struct FieldErrorsTests {
    @Test func aReaderCollectsUnderItsSubjectWithNestedObjects() {
        let r = JSONReader(["contact": .object(["email": .number(3)]), "x": .null], subject: "merge")
        r.rejectUnknownKeys(["contact"])
        _ = r.object("contact")?.string("email")
        #expect(r.errors == FieldErrors("merge", [
            FieldError(field: "x", message: "is not a known field"),
            FieldError(field: "contact.email", message: "must be a string, not a number"),
        ]))
    }

    @Test func aReaderWithoutSubjectReadsInput() {
        #expect(JSONReader([:]).errors == FieldErrors("input"))
    }

    @Test func summaryAndSentence() {
        let one = FieldErrors("call event", [FieldError(field: "callId", message: "is required")])
        #expect(one.summary == "1 field is invalid")
        var two = one
        two.add("direction", "must be one of in, out")
        #expect(two.summary == "2 fields are invalid")
        #expect(two.description == "callId is required; direction must be one of in, out")
        #expect(FieldErrors().summary == "0 fields are invalid")
    }
}
