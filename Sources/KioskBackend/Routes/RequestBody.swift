import Domain

extension RequestContext {
    /// The body as a JSON object; 400 for anything else (docs/interface.md §6), including duplicate
    /// keys and a body over the ``JSONValue/Limits/requestBody`` depth or value count.
    /// The media type must be `application/json`: a browser sends `text/plain` (or no type) from
    /// another site without asking first, so accepting it would let any page file through its visitors (415).
    func jsonObject() throws -> [String: JSONValue] {
        let mediaType = request.header("content-type")?.split(separator: ";", maxSplits: 1).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType == "application/json" else {
            throw Problem.unsupportedMediaType(
                "Send the body as application/json; got \(mediaType.isEmpty ? "no Content-Type" : String(mediaType.prefix(60))).")
        }
        if request.body.isEmpty { throw Problem.badRequest("The body is empty; send a JSON object.") }
        let value: JSONValue
        do throws(JSONValue.ParseError) {
            value = try JSONValue.parse(request.body, limits: .requestBody)
        } catch {
            throw Problem.badRequest(error.message)
        }
        guard case .object(let object) = value else {
            throw Problem.badRequest("The body must be a JSON object, not \(value.typeName).")
        }
        return object
    }

    /// Refuses callers whose role is not in `roles` (403), or no token at all (401).
    func require(_ roles: Set<Role>, to action: String) throws {
        guard let role = caller.role else { throw Problem.unauthorized() }
        guard roles.contains(role) else {
            let article = "aeiou".contains(role.rawValue.first!) ? "An" : "A"
            throw Problem.forbidden("\(article) \(role.rawValue) token may not \(action).")
        }
    }
}
