/// `application/x-www-form-urlencoded` bodies (WHATWG URL standard, "application/x-www-form-urlencoded
/// parsing"): `&`-separated `name=value` pairs, `+` for a space, `%XX` for a byte, UTF-8.
///
/// Pairs keep their order and may repeat (`attribute[code][]=a&attribute[code][]=b`).
/// Unlike the lenient WHATWG parser, a malformed `%` escape or bytes that are not
/// UTF-8 are refused, so a garbled request is answered 400 instead of stored garbled.
enum FormURLEncoded {
    enum ParseError: Error, Equatable {
        case badEscape
        case invalidUTF8

        var message: String {
            switch self {
            case .badEscape: "The form body has a % that is not followed by two hexadecimal digits."
            case .invalidUTF8: "The form body is not UTF-8 once decoded."
            }
        }
    }

    static func parse(_ body: some Collection<UInt8>) throws(ParseError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let bytes = Array(part)
            let eq = bytes.firstIndex(of: UInt8(ascii: "="))
            let name: String
            var value = ""
            if let eq {
                name = try decode(bytes[..<eq])
                value = try decode(bytes[(eq + 1)...])
            } else {
                name = try decode(bytes[...])
            }
            if name.isEmpty && value.isEmpty { continue }
            pairs.append((name, value))
        }
        return pairs
    }

    /// Percent-decodes one name or value, `+` meaning a space.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex,
                      let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2])
                else { throw .badEscape }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw .invalidUTF8 }
        return s
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
