/// A bare e-mail address the envelope can carry: one `@`, no spaces, brackets or control characters.
enum MailAddress {
    static func isPlain(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && s.utf8.count <= 254
            && !s.unicodeScalars.contains { $0.value <= 32 || $0.value == 127 || "<>,;\"()[]\\".unicodeScalars.contains($0) }
    }
}
