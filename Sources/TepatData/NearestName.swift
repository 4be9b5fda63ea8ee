/// Suggestions for mistyped names ("did you mean 'poverty_line'?").
public enum NearestName {
    /// The candidate closest to `name` by edit distance (case-insensitive), when it
    /// is close enough to be a plausible typo: at most a third of the longer name,
    /// and at least one character. Ties go to the earlier candidate.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        var best: (candidate: String, distance: Int)? = nil
        for candidate in candidates {
            let d = distance(target, Array(candidate.lowercased().unicodeScalars))
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best else { return nil }
        let limit = max(1, max(target.count, best.candidate.unicodeScalars.count) / 3)
        return best.distance <= limit ? best.candidate : nil
    }

    /// "; did you mean 'x'?" or "; expected one of a, b, c" when nothing is close.
    public static func hint(for name: String, among candidates: [String]) -> String {
        if let s = suggestion(for: name, among: candidates) { return "; did you mean '\(s)'?" }
        return "; expected one of " + candidates.joined(separator: ", ")
    }

    /// Damerau–Levenshtein distance (optimal string alignment): a swap of two
    /// neighbouring letters counts as one edit, the commonest typo.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
