/// `application/x-www-form-urlencoded` bodies (as telephone exchanges and Open311 clients send them).
public enum FormURLEncoded {
    public enum ParseError: Error, Equatable, Sendable {
        case invalidPercentEncoding
        case invalidUTF8

        public var message: String {
            switch self {
            case .invalidPercentEncoding: "The form body has a '%' that is not followed by two hex digits."
            case .invalidUTF8: "The form body is not valid UTF-8 once decoded."
            }
        }
    }

    /// The pairs in order; a key may repeat (`user[]=a&user[]=b`). `+` is a space.
    public static func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in Array(bytes).split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(kv[0])
            let value = kv.count > 1 ? try decode(kv[1]) : ""
            pairs.append((key, value))
        }
        return pairs
    }

    /// The same, grouped by key in arrival order.
    public static func grouped(_ bytes: some Collection<UInt8>) throws(ParseError) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (k, v) in try parse(bytes) { out[k, default: []].append(v) }
        return out
    }

    static func decode(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%") {
                guard bytes.distance(from: i, to: bytes.endIndex) >= 3,
                      let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2])
                else { throw .invalidPercentEncoding }
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

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
