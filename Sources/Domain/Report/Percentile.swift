/// Percentiles by the nearest-rank method: the smallest value such that at least
/// `percent` % of all values are at most it. No interpolation, so every figure is a
/// value that occurred, and anyone can recompute it from the same list.
public enum Percentile {
    /// The rank (1-based) of the `percent` percentile among `count` values: ⌈percent × n / 100⌉,
    /// computed in integers so no rounding error moves it.
    static func rank(percent: Int, count: Int) -> Int {
        precondition((1...100).contains(percent), "a percentile lies in 1...100")
        return (percent * count + 99) / 100
    }

    /// The nearest-rank percentile (1...100) of an ascending list; nil when empty.
    public static func nearestRank<T: Comparable>(_ sorted: [T], percent: Int) -> T? {
        guard !sorted.isEmpty else { return nil }
        return sorted[rank(percent: percent, count: sorted.count) - 1]
    }

    /// The nearest-rank percentiles of an unordered list, in the order of `percents`; nil when empty.
    ///
    /// The same values as sorting and calling ``nearestRank(_:percent:)``, found by selection
    /// instead of a full sort: linear time on average, and never worse than a sort (a range
    /// that keeps partitioning badly is sorted). The report asks two of a million answer times.
    public static func nearestRanks<T: Comparable>(_ values: [T], percents: [Int]) -> [T?] {
        guard !values.isEmpty else { return percents.map { _ in nil } }
        var a = values
        let ranks = percents.map { rank(percent: $0, count: a.count) - 1 }
        // Ascending ranks, so each selection narrows the range of the next.
        var low = 0
        for index in Set(ranks).sorted() {
            select(&a, index, from: low)
            low = index
        }
        return ranks.map { a[$0] }
    }

    /// Puts at `k` the value a sort would put there, smaller or equal ones before it and larger
    /// or equal ones after, looking only at `a[low...]` (everything before `low` is already smaller).
    static func select<T: Comparable>(_ a: inout [T], _ k: Int, from low: Int) {
        var lo = low
        var hi = a.count - 1
        var budget = 2 * (Int.bitWidth - a.count.leadingZeroBitCount) + 4
        while hi > lo {
            if budget == 0 {
                a[lo...hi].sort()
                return
            }
            budget -= 1
            // Median of three as the pivot, then Hoare's partition.
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo
            var j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now a[lo...j] <= pivot <= a[i...hi], and a[j+1..<i] == pivot.
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return
            }
        }
    }
}
