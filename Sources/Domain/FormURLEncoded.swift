/// `application/x-www-form-urlencoded` bodies, as telephone exchanges (CTI pushes) and
/// Open311 clients send them: the one form reader of the service.
///
/// `a=1&user%5B%5D=x&user[]=y`: split on `&` then the first `=`, `+` is a space, then
/// percent-decoding on the bytes (WHATWG URL, "application/x-www-form-urlencoded
/// parsing"); each name and value must then be UTF-8. One pass over the bytes, bounded
/// by ``Limits``: the number of pairs (readers of the pairs may look at each against
/// the others) and the bytes of a name or a value.
public enum FormURLEncoded {
    public struct Limits: Sendable, Equatable {
        public var maxPairs: Int
        public var maxNameBytes: Int
        public var maxValueBytes: Int

        public init(maxPairs: Int, maxNameBytes: Int, maxValueBytes: Int) {
            self.maxPairs = maxPairs
            self.maxNameBytes = maxNameBytes
            self.maxValueBytes = maxValueBytes
        }

        /// CTI pushes and Open311 POST Service Requests. Values may be long so that the
        /// field rules (characters and bytes) name the field; the body limit bounds them anyway.
        public static let request = Limits(maxPairs: 500, maxNameBytes: 256, maxValueBytes: 2 << 20)
    }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Reason: Equatable, Sendable {
            case invalidPercentEncoding
            case invalidUTF8
            case tooManyPairs(Int)
            case nameTooLong(Int)
            case valueTooLong(Int)
        }

        public var reason: Reason
        /// The byte (from 0) of the body where the problem is: the `%`, or the start of the name or value.
        public var offset: Int

        public init(_ reason: Reason, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }

        /// The sentence a client reads in a 400.
        public var message: String {
            switch reason {
            case .invalidPercentEncoding: "The form body has a '%' that is not followed by two hex digits, at byte \(offset)."
            case .invalidUTF8: "The form body is not valid UTF-8 once decoded, in the name or value at byte \(offset)."
            case .tooManyPairs(let n): "The form body has more than \(n) fields."
            case .nameTooLong(let n): "The form body has a field name longer than \(n) bytes, at byte \(offset)."
            case .valueTooLong(let n): "The form body has a value longer than \(n) bytes, at byte \(offset)."
            }
        }

        public var description: String { message }
    }

    /// The pairs in order; a name may repeat (`user[]=a&user[]=b`). Empty parts (`a=1&&b=2`) are skipped.
    public static func parse(_ bytes: some Collection<UInt8>, limits: Limits = .request) throws(ParseError) -> [(String, String)] {
        let outcome: Result<[(String, String)], ParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parse(buffer, limits: limits)
        }
        if let outcome { return try outcome.get() }
        return try Array(bytes).withUnsafeBufferPointer { parse($0, limits: limits) }.get()
    }

    /// The same, grouped by name, each name's values in arrival order.
    public static func grouped(_ bytes: some Collection<UInt8>, limits: Limits = .request) throws(ParseError) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (name, value) in try parse(bytes, limits: limits) { out[name, default: []].append(value) }
        return out
    }

    private static func parse(_ body: UnsafeBufferPointer<UInt8>, limits: Limits) -> Result<[(String, String)], ParseError> {
        var pairs: [(String, String)] = []
        var scratch: [UInt8] = []
        var start = 0
        do throws(ParseError) {
            while start < body.count {
                var end = start
                var equals = -1
                while end < body.count, body[end] != UInt8(ascii: "&") {
                    if equals < 0 && body[end] == UInt8(ascii: "=") { equals = end }
                    end += 1
                }
                if end > start {
                    guard pairs.count < limits.maxPairs else { throw ParseError(.tooManyPairs(limits.maxPairs), at: start) }
                    let nameEnd = equals < 0 ? end : equals
                    guard nameEnd - start <= 3 * limits.maxNameBytes else {
                        throw ParseError(.nameTooLong(limits.maxNameBytes), at: start)
                    }
                    let name = try decode(body, start, nameEnd, max: limits.maxNameBytes, tooLong: .nameTooLong(limits.maxNameBytes), &scratch)
                    let value = equals < 0 ? "" : try decode(body, equals + 1, end, max: limits.maxValueBytes, tooLong: .valueTooLong(limits.maxValueBytes), &scratch)
                    pairs.append((name, value))
                }
                start = end + 1
            }
        } catch {
            return .failure(error)
        }
        return .success(pairs)
    }

    /// One name or value, `body[from..<to]`, decoded into a string of at most `max` bytes.
    private static func decode(
        _ body: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, max: Int, tooLong: ParseError.Reason,
        _ scratch: inout [UInt8]
    ) throws(ParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var i = from
        while i < to {
            let byte = body[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < to, let high = hex(body[i + 1]), let low = hex(body[i + 2]) else {
                    throw ParseError(.invalidPercentEncoding, at: i)
                }
                scratch.append(high << 4 | low)
                i += 3
            } else {
                scratch.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                i += 1
            }
        }
        if scratch.count > max { throw ParseError(tooLong, at: from) }
        guard let text = String(validating: scratch, as: UTF8.self) else { throw ParseError(.invalidUTF8, at: from) }
        return text
    }

    @inline(__always)
    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
