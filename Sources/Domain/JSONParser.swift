/// The single-pass JSON parser behind ``JSONValue/parse(_:limits:)``.
///
/// Recursive descent over the UTF-8 bytes, each byte looked at a bounded number of
/// times, so the work is linear in the input. Strict RFC 8259: no trailing commas,
/// comments, leading zeros, NaN or bare words; only space, tab, CR and LF as white
/// space; strings must be UTF-8 (no overlong forms, no encoded surrogates) and their
/// `\u` escapes must pair surrogates. Duplicate member names are refused, since
/// which one wins is undefined (RFC 8259 §4) and a reader must not guess.
/// Numbers become `Double`; one that overflows to infinity is refused.
///
/// The recursion is bounded by `limits.maxDepth`, the work by the input size, and
/// what is built by `maxElements` and `maxStringBytes`.
struct JSONParser {
    typealias ParseError = JSONValue.ParseError

    /// Longer numbers than this are refused: no value we read needs them, and
    /// converting a number is the one step whose cost is not trivially per byte.
    static let maxNumberLength = 100

    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: JSONValue.Limits
    private var index = 0
    private var elements = 0
    /// Reused for strings with escapes.
    private var scratch: [UInt8] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONValue.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONValue.Limits) -> Result<JSONValue, ParseError> {
        var parser = JSONParser(bytes, limits: limits)
        do throws(ParseError) {
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            if parser.index < bytes.count {
                throw ParseError(bytes[parser.index] >= 0x80 ? .invalidUTF8 : .trailingData, at: parser.index)
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    // MARK: Bytes

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The byte at the cursor, or an "ends too early" error.
    @inline(__always)
    private func peek() throws(ParseError) -> UInt8 {
        guard index < bytes.count else { throw ParseError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    private func unexpected(at offset: Int) -> ParseError {
        guard offset < bytes.count else { return ParseError(.unexpectedEnd, at: offset) }
        let byte = bytes[offset]
        return ParseError(byte >= 0x80 ? .invalidUTF8 : .unexpectedByte(byte), at: offset)
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(ParseError) -> JSONValue {
        let start = index
        elements += 1
        if elements > limits.maxElements { throw ParseError(.tooManyValues(limits.maxElements), at: start) }
        switch try peek() {
        case UInt8(ascii: "{"):
            guard depth < limits.maxDepth else { throw ParseError(.tooDeep(limits.maxDepth), at: start) }
            return try object(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < limits.maxDepth else { throw ParseError(.tooDeep(limits.maxDepth), at: start) }
            return try array(depth: depth + 1)
        case Self.quote:
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw unexpected(at: start)
        }
    }

    private mutating func literal(_ word: StaticString) throws(ParseError) {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in text {
            guard index < bytes.count, bytes[index] == expected else { throw unexpected(at: index) }
            index += 1
        }
    }

    private mutating func array(depth: Int) throws(ParseError) -> JSONValue {
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            do throws(ParseError) {
                items.append(try value(depth: depth))
            } catch {
                var error = error
                error.reversedPath.append("[\(items.count)]")
                throw error
            }
            if try endOfContainer(UInt8(ascii: "]")) { return .array(items) }
        }
    }

    /// After an element or member: true past the closing bracket; false past a comma that
    /// another element follows (a comma before the closing bracket is a trailing comma).
    private mutating func endOfContainer(_ closing: UInt8) throws(ParseError) -> Bool {
        skipWhitespace()
        switch try peek() {
        case UInt8(ascii: ","):
            let comma = index
            index += 1
            skipWhitespace()
            if try peek() == closing { throw ParseError(.trailingComma, at: comma) }
            return false
        case closing:
            index += 1
            return true
        default:
            throw unexpected(at: index)
        }
    }

    private mutating func object(depth: Int) throws(ParseError) -> JSONValue {
        index += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            let keyStart = index
            guard try peek() == Self.quote else { throw unexpected(at: keyStart) }
            let key = try string()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected(at: index) }
            index += 1
            skipWhitespace()
            let item: JSONValue
            do throws(ParseError) {
                item = try value(depth: depth)
            } catch {
                var error = error
                error.reversedPath.append(key)
                throw error
            }
            if members.updateValue(item, forKey: key) != nil {
                var error = ParseError(.duplicateKey(key), at: keyStart)
                error.reversedPath = [key]
                throw error
            }
            if try endOfContainer(UInt8(ascii: "}")) { return .object(members) }
        }
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(ParseError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let intStart = index
        var mantissa: UInt64 = 0
        guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected(at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw ParseError(.leadingZero, at: intStart) }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
        }
        let intDigits = index - intStart
        var simple = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            simple = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw ParseError(.invalidNumber, at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            simple = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw ParseError(.invalidNumber, at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index - start > Self.maxNumberLength { throw ParseError(.numberTooLong(Self.maxNumberLength), at: start) }
        // Whole numbers of up to 15 digits are exact in a Double: no conversion needed.
        if simple && intDigits <= 15 {
            let value = Double(mantissa)
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw ParseError(.invalidNumber, at: start) }
        guard value.isFinite else { throw ParseError(.numberOutOfRange, at: start) }
        return value
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Strings

    /// A string from its opening quote; the cursor ends past the closing quote.
    private mutating func string() throws(ParseError) -> String {
        index += 1  // "
        let start = index
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == Self.quote {
                if index - start > limits.maxStringBytes {
                    throw ParseError(.stringTooLong(limits.maxStringBytes), at: start - 1)
                }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            } else if byte == Self.backslash {
                return try escapedString(from: start)
            } else if byte < 0x20 {
                throw ParseError(.controlCharacterInString, at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                try skipMultibyte()
            }
        }
        throw ParseError(.unexpectedEnd, at: index)
    }

    /// The rest of a string that has an escape: copied into `scratch` from `start`.
    private mutating func escapedString(from start: Int) throws(ParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                if scratch.count > limits.maxStringBytes {
                    throw ParseError(.stringTooLong(limits.maxStringBytes), at: start - 1)
                }
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == Self.backslash {
                try escape()
            } else if byte < 0x20 {
                throw ParseError(.controlCharacterInString, at: index)
            } else if byte < 0x80 {
                scratch.append(byte)
                index += 1
            } else {
                let first = index
                try skipMultibyte()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[first..<index]))
            }
        }
        throw ParseError(.unexpectedEnd, at: index)
    }

    /// One escape at the cursor (a backslash), appended to `scratch` as UTF-8.
    private mutating func escape() throws(ParseError) {
        let at = index
        guard index + 1 < bytes.count else { throw ParseError(.unexpectedEnd, at: bytes.count) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case Self.quote, Self.backslash, UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: at)
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == Self.backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw ParseError(.loneSurrogate, at: at)
                }
                index += 2
                let low = try hex4(at: index - 2)
                guard (0xDC00...0xDFFF).contains(low) else { throw ParseError(.loneSurrogate, at: at) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw ParseError(.loneSurrogate, at: at)
            }
            appendUTF8(scalar)
        default:
            throw ParseError(.invalidEscape, at: at)
        }
    }

    /// Four hex digits at the cursor.
    private mutating func hex4(at escapeStart: Int) throws(ParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw ParseError(.invalidEscape, at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw ParseError(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Moves past one well-formed multi-byte UTF-8 sequence (Unicode 15, table 3-7):
    /// no overlong forms, no surrogates, nothing above U+10FFFF.
    @inline(__always)
    private mutating func skipMultibyte() throws(ParseError) {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw ParseError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count else { throw ParseError(.invalidUTF8, at: index) }
        let second = bytes[index + 1]
        guard second >= low && second <= high else { throw ParseError(.invalidUTF8, at: index) }
        if length > 2 {
            guard bytes[index + 2] & 0xC0 == 0x80 else { throw ParseError(.invalidUTF8, at: index) }
            if length > 3 {
                guard bytes[index + 3] & 0xC0 == 0x80 else { throw ParseError(.invalidUTF8, at: index) }
            }
        }
        index += length
    }
}
