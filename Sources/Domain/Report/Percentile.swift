/// Percentiles by the nearest-rank method: the smallest value such that at least
/// `percent` % of all values are at most it. No interpolation, so every figure is a
/// value that occurred, and anyone can recompute it from the same list.
public enum Percentile {
    /// The nearest-rank percentile (1...100) of an ascending list; nil when empty.
    /// The rank is ⌈percent × n / 100⌉, computed in integers so no rounding error moves it.
    public static func nearestRank<T: Comparable>(_ sorted: [T], percent: Int) -> T? {
        guard !sorted.isEmpty else { return nil }
        precondition((1...100).contains(percent), "a percentile lies in 1...100")
        let rank = (percent * sorted.count + 99) / 100
        return sorted[rank - 1]
    }
}
