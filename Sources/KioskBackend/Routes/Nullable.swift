/// An optional member of a resource that the answer writes as JSON `null` when it is absent
/// (the interface names every key of a resource), where the synthesized encoding would leave
/// the key out. With it a resource needs no hand-written `encode(to:)` listing every key.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}
