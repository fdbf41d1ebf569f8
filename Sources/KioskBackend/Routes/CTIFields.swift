import CallLog
import Domain

/// The body of a CTI push as the field map `CallEvent.parse` reads; the decoding is
/// `CallLog.CTIBody` (shared with the fuzz target), this only maps its errors to problems.
enum CTIFields {
    /// - Throws: ``Problem`` 400 for JSON that does not parse or is not an object,
    ///   or a form that is not valid percent-encoded UTF-8 or over its bounds; 415 for multipart.
    static func decode(_ request: HTTPRequest) throws -> [String: [String]] {
        do throws(CTIBody.DecodeError) {
            return try CTIBody.fields(body: request.body, mediaType: request.header("content-type"), query: request.query)
        } catch {
            switch error {
            case .badBody(let detail): throw Problem.badRequest(detail)
            case .unsupportedMediaType(let detail): throw Problem.unsupportedMediaType(detail)
            }
        }
    }
}
