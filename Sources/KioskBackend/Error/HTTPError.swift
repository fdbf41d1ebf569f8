import CallLog
import Domain

/// An error that knows its answer: its status and problem document (docs/interface.md §6),
/// and, for the Open311 routes, the standard's error list.
///
/// Handlers and pure rules throw their own errors; `Application` answers every one of
/// them through ``problem`` and `Open311Routes.answer` through ``open311``. No route maps.
protocol HTTPError: Error {
    /// The answer on the REST API.
    var problem: Problem { get }
    /// The answer on the Open311 routes. By default derived from ``problem``: 422 becomes 400
    /// (the standard has no 422), each bad field one description in the standard's field names.
    var open311: Open311Error { get }
}

extension HTTPError {
    var open311: Open311Error {
        let problem = problem
        let details = (problem.errors ?? []).map { "\(Open311Submission.open311Name($0.field)) \($0.message)." }
        var error = Open311Error(problem.status == 422 ? 400 : problem.status, details.isEmpty ? [problem.detail] : details)
        error.headers = problem.headers
        return error
    }
}

extension Problem: HTTPError {
    var problem: Problem { self }
}

/// The one mapping of "these fields are wrong": 422, `Invalid <subject>`, how many, and every
/// field in the order it was found.
extension FieldErrors: HTTPError {
    var problem: Problem { problem(titled: "Invalid \(subject)") }

    /// The 422 document under another title, for an error that is a field list by its shape
    /// but not an invalid input (``Idempotency/Reused``).
    func problem(titled title: String) -> Problem {
        Problem(status: 422, title: title, detail: summary, errors: all)
    }
}

extension IntakeError: HTTPError {
    var problem: Problem {
        switch self {
        case .forbidden(let why): .forbidden(why)
        case .invalid(let errors): errors.problem
        }
    }
}

extension SignalUpdateError: HTTPError {
    var problem: Problem {
        switch self {
        case .invalid(let errors):
            errors.problem
        case .transition(_, let to, let allowed):
            .conflict(
                message,
                errors: [FieldError(
                    field: "status",
                    message: allowed.isEmpty
                        ? "cannot become \(to.rawValue): no next state is allowed"
                        : "cannot become \(to.rawValue); allowed next: \(allowed.map(\.rawValue).joined(separator: ", "))")])
        case .closed:
            .conflict(message)
        }
    }
}

extension Open311Error: HTTPError {
    var open311: Open311Error { self }

    /// Thrown outside `Open311Routes.answer` it still answers as a problem document.
    var problem: Problem {
        let title = switch status {
        case 403: "Forbidden"
        case 404: "Not found"
        case 429: "Too many requests"
        default: "Bad request"
        }
        return Problem(status: status, title: title, detail: descriptions.joined(separator: " "), headers: headers)
    }
}

extension CTIBody.DecodeError: HTTPError {
    var problem: Problem {
        switch self {
        case .badBody(let detail): .badRequest(detail)
        case .unsupportedMediaType(let detail): .unsupportedMediaType(detail)
        }
    }
}

extension Idempotency.Reused: HTTPError {
    var problem: Problem {
        FieldErrors(
            "Idempotency-Key",
            [.init(field: "Idempotency-Key", message: "was already used with a different body; use a new key for a new request")]
        ).problem(titled: "Idempotency key reused")
    }
}

extension CallQueries.LinkError: HTTPError {
    var problem: Problem {
        switch self {
        case .noCall(let id): .notFound("No call with id \(id).")
        case .alreadyLinked(let existing):
            .conflict("This call already has signal \(existing); log a second matter as a new call.")
        }
    }
}
