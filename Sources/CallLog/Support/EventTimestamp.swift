import Foundation

/// Reads an event's own time: RFC 3339 or Unix seconds.
///
/// RFC 3339 (https://www.rfc-editor.org/rfc/rfc3339#section-5.6):
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space instead of
/// `T` are accepted, as the RFC allows. Unix seconds: digits with an optional
/// fraction, up to the end of year 9999. Parsed by hand so it needs no
/// formatter and no time zone database.
enum EventTimestamp {
    /// The instant, or nil when the text is neither form.
    static func parse(_ text: String) -> Date? {
        unixSeconds(text) ?? rfc3339(text)
    }

    /// 9999-12-31T23:59:59Z.
    static let latestUnixSeconds: Double = 253_402_300_799

    static func unixSeconds(_ text: String) -> Date? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit)),
            let seconds = Double(text), seconds <= latestUnixSeconds
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    static func rfc3339(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20,
            let date = CivilDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = CivilDate.number(bytes[11..<13]), hour <= 23,
            let minute = CivilDate.number(bytes[14..<16]), minute <= 59,
            let second = CivilDate.number(bytes[17..<19]), second <= 60
        else { return nil }

        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            var end = start
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) {
                end += 1
            }
            guard end > start, let value = Double("0." + String(decoding: bytes[start..<end], as: UTF8.self))
            else { return nil }
            fraction = value
            index = end
        }

        guard index < bytes.count else { return nil }
        let offsetSeconds: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
            offsetSeconds = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = CivilDate.number(bytes[(index + 1)..<(index + 3)]), hours <= 23,
                let minutes = CivilDate.number(bytes[(index + 4)..<(index + 6)]), minutes <= 59
            else { return nil }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }

        let local = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(local - offsetSeconds) + fraction)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool {
        isASCII && isWholeNumber
    }
}
