import Foundation

/// RFC 3339 timestamps as the API writes and reads them: UTC with `Z` on output.
public enum Timestamp {
    /// Parses `2026-06-01T09:30:00Z`, with or without fractional seconds, with `Z` or an offset.
    public static func parse(_ s: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let plain = Date.ISO8601FormatStyle()
        return (try? withFraction.parse(s)) ?? (try? plain.parse(s))
    }

    /// Formats as `2026-06-01T09:30:00Z` (whole seconds, UTC).
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// Formats with milliseconds, for values that must sort and page exactly.
    public static func formatPrecise(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
