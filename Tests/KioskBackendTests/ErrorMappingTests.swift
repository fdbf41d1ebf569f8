import CallLog
import Domain
@testable import KioskBackend
import Testing

/// One mapping from an error to its answer (`HTTPError`): each error names its status and
/// problem document, and the Open311 routes render the same error as the standard's list.
struct ErrorMappingTests {
    static let field = FieldError(field: "category", message: "must be one of the config's categories")

    static let cases: [(error: any HTTPError, status: Int, title: String, detail: String, errors: [FieldError]?)] = [
        (FieldErrors("query", [field]), 422, "Invalid query", "1 field is invalid", [field]),
        (FieldErrors("feedback", [field, field]), 422, "Invalid feedback", "2 fields are invalid", [field, field]),
        (IntakeError.forbidden("A kiosk may not create signals here."), 403, "Forbidden", "A kiosk may not create signals here.", nil),
        (IntakeError.invalid(FieldErrors("signal", [field])), 422, "Invalid signal", "1 field is invalid", [field]),
        (FieldErrors("call event", [field]), 422, "Invalid call event", "1 field is invalid", [field]),
        (SignalUpdateError.invalid(FieldErrors("change", [field])), 422, "Invalid change", "1 field is invalid", [field]),
        (Idempotency.Reused(), 422, "Idempotency key reused", "1 field is invalid",
         [FieldError(field: "Idempotency-Key", message: "was already used with a different body; use a new key for a new request")]),
        (SignalUpdateError.closed, 409, "Conflict", "This signal is closed: it takes no change but a reopen (status in_progress, alone or with a reason).", nil),
        (SignalUpdateError.transition(from: .closed, to: .received, allowed: [.inProgress]), 409, "Conflict",
         "A signal cannot go from closed to received. Allowed next: in_progress.",
         [FieldError(field: "status", message: "cannot become received; allowed next: in_progress")]),
        (CTIBody.DecodeError.badBody("The form body has more than 500 fields."), 400, "Bad request",
         "The form body has more than 500 fields.", nil),
        (CTIBody.DecodeError.unsupportedMediaType("Send the event as application/json."), 415, "Unsupported media type",
         "Send the event as application/json.", nil),
        (Problem.notFound(), 404, "Not found", "There is nothing at this address.", nil),
        (Open311Error.unknownService("x"), 404, "Not found", "service_code \"x\" was not found; see services.json for the list.", nil),
        (Open311Error.missingServiceCode, 400, "Bad request", "service_code was not provided.", nil),
    ]

    @Test(arguments: cases.indices) func problemDocument(_ i: Int) {
        let c = Self.cases[i]
        let problem = c.error.problem
        #expect(problem.status == c.status)
        #expect(problem.title == c.title)
        #expect(problem.detail == c.detail)
        #expect(problem.errors == c.errors)
        #expect(problem.response.header("Content-Type") == "application/problem+json")
    }

    @Test func headersTravelWithTheError() {
        #expect(Problem.tooManyRequests(retryAfter: 7).problem.response.header("Retry-After") == "7")
        let open311 = Open311Error.tooManyRequests(retryAfter: 9, partner: true)
        #expect(open311.problem.response.header("Retry-After") == "9")
        #expect(open311.response(.json).header("Retry-After") == "9")
        #expect(Problem.tooManyRequests(retryAfter: 3).open311.response(.json).header("Retry-After") == "3")
    }

    /// Open311 has no 422 and no problem documents: bad fields become 400 descriptions in its field names.
    @Test func open311Rendering() {
        let invalid = IntakeError.invalid(FieldErrors("signal", [Self.field, FieldError(field: "address", message: "is required")])).open311
        #expect(invalid.status == 400)
        #expect(invalid.descriptions == ["service_code must be one of the config's categories.", "address_string is required."])
        let forbidden = IntakeError.forbidden("No.").open311
        #expect(forbidden.status == 403)
        #expect(forbidden.descriptions == ["No."])
        let own = Open311Error.unknownToken("abc")
        #expect(own.open311.descriptions == ["token \"abc\" was not found."])
        #expect(own.response(.json).bodyText == #"[{"code":404,"description":"token \"abc\" was not found."}]"#)
    }
}
