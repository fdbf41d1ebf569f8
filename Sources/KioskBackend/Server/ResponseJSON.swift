import Foundation

/// The JSON of a response: the same bytes as Foundation's `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]`, written by a small `Encoder` of our own.
///
/// Why: `perf` put a fifth of a GET's CPU in `JSONEncoder` (its generic boxing and the dynamic
/// casts it makes for every value to find dates, data and URLs). This encoder handles what our
/// resources are made of — objects, arrays, strings, numbers, booleans and null — and refuses
/// the rest (`Date`, `Data`, `URL`, `Decimal`, non-finite numbers, `superEncoder`), for which
/// ``HTTPResponse/json(_:status:)`` falls back to Foundation. The output rules, checked against
/// Foundation in `ResponseJSONTests` and, in debug builds, on every response the tests make:
/// keys in UTF-8 byte order; `"` `\` and control characters escaped (`\b \f \n \r \t`, the others
/// as `\u00xx`), everything else as is (`/`, DEL, U+2028); a number as Swift prints it, without
/// a trailing `.0`.
enum ResponseJSON {
    /// What this encoder leaves to Foundation.
    struct Unsupported: Error {}

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let context = Context()
        let node = try context.node(value)
        if context.unsupported { throw Unsupported() }
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        try write(node, into: &out)
        return out
    }

    // MARK: The tree an Encodable makes

    fileprivate enum Node {
        case null
        case bool(Bool)
        case string(String)
        case int(Int64)
        case uint(UInt64)
        case number(String)
        case object(Members)
        case array(Items)
    }

    fileprivate final class Members {
        var keys: [String] = []
        var values: [Node] = []
        func set(_ key: String, _ node: Node) {
            keys.append(key)
            values.append(node)
        }
    }

    fileprivate final class Items {
        var nodes: [Node] = []
    }

    /// Shared by every encoder of one value: whether something was met that Foundation must write.
    fileprivate final class Context {
        var unsupported = false

        func node<T: Encodable>(_ value: T) throws -> Node {
            // The common leaves without an encoder of their own.
            if T.self == String.self { return .string(value as! String) }
            if T.self == String?.self { return (value as! String?).map(Node.string) ?? .null }
            if T.self == Bool.self { return .bool(value as! Bool) }
            if T.self == Bool?.self { return (value as! Bool?).map(Node.bool) ?? .null }
            if T.self == Int.self { return .int(Int64(value as! Int)) }
            if T.self == Int?.self { return (value as! Int?).map { .int(Int64($0)) } ?? .null }
            if T.self == Int64.self { return .int(value as! Int64) }
            if T.self == Double.self { return try number(value as! Double) }
            if T.self == Double?.self { return try (value as! Double?).map(number) ?? .null }
            if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
                throw Unsupported()
            }
            let encoder = NodeEncoder(context: self)
            try value.encode(to: encoder)
            return encoder.node ?? .object(Members())  // nothing encoded: Foundation writes {}
        }

        func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws -> Node {
            guard value.isFinite else { throw Unsupported() }
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            return .number(text)
        }
    }

    // MARK: Encoder

    fileprivate final class NodeEncoder: Encoder {
        let context: Context
        var node: Node?
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(context: Context) { self.context = context }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object(let members)? = node {
                return KeyedEncodingContainer(ObjectContainer(members: members, context: context))
            }
            if node != nil { context.unsupported = true }
            let members = Members()
            node = .object(members)
            return KeyedEncodingContainer(ObjectContainer(members: members, context: context))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array(let items)? = node { return ArrayContainer(items: items, context: context) }
            if node != nil { context.unsupported = true }
            let items = Items()
            node = .array(items)
            return ArrayContainer(items: items, context: context)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { ValueContainer(encoder: self) }
    }

    fileprivate struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let members: Members
        let context: Context
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { members.set(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { members.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { members.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { members.set(key.stringValue, try context.number(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { members.set(key.stringValue, try context.number(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { members.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { members.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { members.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { members.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { members.set(key.stringValue, .int(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { members.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { members.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { members.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { members.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { members.set(key.stringValue, .uint(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            members.set(key.stringValue, try context.node(value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let nested = Members()
            members.set(key.stringValue, .object(nested))
            return KeyedEncodingContainer(ObjectContainer<NestedKey>(members: nested, context: context))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = Items()
            members.set(key.stringValue, .array(nested))
            return ArrayContainer(items: nested, context: context)
        }

        mutating func superEncoder() -> any Encoder { unsupported() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { unsupported() }

        private func unsupported() -> any Encoder {
            context.unsupported = true
            return NodeEncoder(context: context)
        }
    }

    fileprivate struct ArrayContainer: UnkeyedEncodingContainer {
        let items: Items
        let context: Context
        var codingPath: [any CodingKey] { [] }
        var count: Int { items.nodes.count }

        mutating func encodeNil() throws { items.nodes.append(.null) }
        mutating func encode(_ value: Bool) throws { items.nodes.append(.bool(value)) }
        mutating func encode(_ value: String) throws { items.nodes.append(.string(value)) }
        mutating func encode(_ value: Double) throws { items.nodes.append(try context.number(value)) }
        mutating func encode(_ value: Float) throws { items.nodes.append(try context.number(value)) }
        mutating func encode(_ value: Int) throws { items.nodes.append(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { items.nodes.append(.int(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { items.nodes.append(try context.node(value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = Members()
            items.nodes.append(.object(nested))
            return KeyedEncodingContainer(ObjectContainer<NestedKey>(members: nested, context: context))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = Items()
            items.nodes.append(.array(nested))
            return ArrayContainer(items: nested, context: context)
        }

        mutating func superEncoder() -> any Encoder {
            context.unsupported = true
            return NodeEncoder(context: context)
        }
    }

    fileprivate struct ValueContainer: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { [] }

        private func set(_ node: Node) {
            if encoder.node != nil { encoder.context.unsupported = true }
            encoder.node = node
        }

        mutating func encodeNil() throws { set(.null) }
        mutating func encode(_ value: Bool) throws { set(.bool(value)) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Double) throws { set(try encoder.context.number(value)) }
        mutating func encode(_ value: Float) throws { set(try encoder.context.number(value)) }
        mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { set(.int(value)) }
        mutating func encode(_ value: UInt) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { set(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { set(.uint(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { set(try encoder.context.node(value)) }
    }

    // MARK: Writing

    private static func write(_ node: Node, into out: inout [UInt8]) throws {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .string(let s): writeString(s, into: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .uint(let u): out.append(contentsOf: String(u).utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.nodes.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            let keys = members.keys
            let order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
            out.append(UInt8(ascii: "{"))
            var previous: String?
            for (n, i) in order.enumerated() {
                // A key written twice: Foundation keeps the last value; leave that to it.
                if keys[i] == previous { throw Unsupported() }
                previous = keys[i]
                if n > 0 { out.append(UInt8(ascii: ",")) }
                writeString(keys[i], into: &out)
                out.append(UInt8(ascii: ":"))
                try write(members.values[i], into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var run = 0
            for (i, byte) in bytes.enumerated() {
                let escape: UInt8
                switch byte {
                case UInt8(ascii: "\""): escape = UInt8(ascii: "\"")
                case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
                case 0x08: escape = UInt8(ascii: "b")
                case 0x0C: escape = UInt8(ascii: "f")
                case 0x0A: escape = UInt8(ascii: "n")
                case 0x0D: escape = UInt8(ascii: "r")
                case 0x09: escape = UInt8(ascii: "t")
                case 0..<0x20: escape = UInt8(ascii: "u")
                default: continue
                }
                out.append(contentsOf: bytes[run..<i])
                run = i + 1
                out.append(UInt8(ascii: "\\"))
                out.append(escape)
                if escape == UInt8(ascii: "u") {
                    out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            out.append(contentsOf: bytes[run...])
        }
        out.append(UInt8(ascii: "\""))
    }
}
