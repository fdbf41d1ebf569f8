/// Comparing secrets (token hashes, status keys, enrolment codes) without telling, through the
/// time it takes, where two values first differ.
public enum ConstantTime {
    /// Whether `a` equals `b`, in time that depends only on their lengths.
    public static func equals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
