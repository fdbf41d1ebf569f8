import Foundation

/// The rules for `contact.postal_address` (docs/interface.md §4), where a reply by post goes.
///
/// It is printed in a window envelope's window (DL, 90 × 45 mm), so it is bounded in lines
/// and in characters per line as well as in total characters and bytes. Lines are separated
/// by `\n` (a `\r\n` or `\r` from a form becomes `\n`); spaces around a line and empty lines go.
public enum PostalAddress {
    public static let maxCharacters = 300
    public static let maxBytes = 1200
    public static let maxLines = 6
    public static let maxLineCharacters = 60

    /// The address as stored, or the message saying which rule it breaks.
    public static func normalize(_ raw: String) -> Result<String, Message> {
        if raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" }) {
            return .failure(Message("must not contain control characters other than line breaks"))
        }
        let lines = raw.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let text = lines.joined(separator: "\n")
        if text.isEmpty { return .failure(Message("must not be empty")) }
        if text.count > maxCharacters { return .failure(Message("must be at most \(maxCharacters) characters")) }
        if text.utf8.count > maxBytes { return .failure(Message("must be at most \(maxBytes) bytes")) }
        if lines.count > maxLines {
            return .failure(Message("must be at most \(maxLines) lines (it is printed in an envelope's window)"))
        }
        if let long = lines.firstIndex(where: { $0.count > maxLineCharacters }) {
            return .failure(Message("line \(long + 1) must be at most \(maxLineCharacters) characters (it is printed in an envelope's window)"))
        }
        return .success(text)
    }

    /// Why an address was refused, in the words a caller reads.
    public struct Message: Error, Equatable, Sendable {
        public let text: String
        public init(_ text: String) { self.text = text }
    }
}
