/// An id met in a row: its hash (`FieldParsing.hash`, or a village code spread
/// over 64 bits) and the row (or, in `DuplicateFinder`, the line) it was met on.
struct IdentifierSighting {
    var hash: UInt64
    var row: Int

    /// By hash, then row: a repeated id's first row comes first.
    static func order(_ a: IdentifierSighting, _ b: IdentifierSighting) -> Bool {
        a.hash != b.hash ? a.hash < b.hash : a.row < b.row
    }

    /// `items`, in row order, sorted by hash then row: a least-significant-digit
    /// radix sort, 11 bits a pass. Each pass is stable, so rows stay in order
    /// within a hash. (A comparison sort took 6% of an ingest's CPU.)
    static func sortedByHash(_ items: [IdentifierSighting]) -> [IdentifierSighting] {
        var from = items
        var to = items
        let bits = 11, buckets = 1 << 11
        var counts = [Int](repeating: 0, count: buckets)
        from.withUnsafeMutableBufferPointer { a in
            to.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { counts in
                    var source = a, target = b
                    for shift in stride(from: 0, to: 64, by: bits) {
                        for i in 0..<buckets { counts[i] = 0 }
                        for item in source { counts[Int((item.hash >> UInt64(shift)) & UInt64(buckets - 1))] += 1 }
                        var total = 0
                        for i in 0..<buckets { let c = counts[i]; counts[i] = total; total += c }
                        for item in source {
                            let digit = Int((item.hash >> UInt64(shift)) & UInt64(buckets - 1))
                            target[counts[digit]] = item
                            counts[digit] += 1
                        }
                        swap(&source, &target)
                    }
                }
            }
        }
        // Six passes, each from one array to the other: the last wrote `from`.
        return from
    }

    /// Sorted lists (by `order`) merged into one.
    static func merged(_ lists: [[IdentifierSighting]]) -> [IdentifierSighting] {
        var lists = lists
        while lists.count > 1 {
            var next: [[IdentifierSighting]] = []
            for k in stride(from: 0, to: lists.count, by: 2) {
                guard k + 1 < lists.count else { next.append(lists[k]); continue }
                let a = lists[k], b = lists[k + 1]
                var out: [IdentifierSighting] = []
                out.reserveCapacity(a.count + b.count)
                var i = 0, j = 0
                while i < a.count && j < b.count {
                    if order(b[j], a[i]) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
                }
                out += a[i...]
                out += b[j...]
                next.append(out)
            }
            lists = next
        }
        return lists.first ?? []
    }
}
