/// After a pivot whose leaving arc is not the entering one: the subtree S that
/// the leaving arc cut off is re-rooted at the entering arc's end inside it and
/// hung by the entering arc, and its potentials shift by one constant.
extension SimplexState {
    mutating func reroot(_ c: Cycle, _ step: Step) {
        let inside = step.cutEndpoint
        let outside = inside == tail[c.entering] ? head[c.entering] : tail[c.entering]
        let cutRoot = step.cutRoot
        stem.removeAll(keepingCapacity: true)
        var x = inside
        while true { stem.append(x); if x == cutRoot { break }; x = parent[x] }
        let size = subtreeSize[cutRoot]
        planNewOrder(inside: inside, size: size)
        detach(cutRoot, size: size, apex: c.apex)
        let newLast = chainPieces()
        reverseStem(entering: c.entering, outside: outside, newLast: newLast)
        insert(inside: inside, after: outside, newLast: newLast, size: size, apex: c.apex)
        shiftPotentials(entering: c.entering, inside: inside, outside: outside, newLast: newLast, size: size)
    }

    /// The stem inside = s₀, s₁, …, s_k = cutRoot reverses. In the new preorder
    /// of S, s₀'s old subtree comes first, then for each i ≥ 1 the stretch of
    /// s_i's old subtree before s_{i−1}'s, then the stretch after it. Fills
    /// `pieces` with those stretches as (first, last) on the old thread, and
    /// `newSizes` with the stem's sizes after the pivot.
    private mutating func planNewOrder(inside: Int, size: Int) {
        pieces.removeAll(keepingCapacity: true)
        pieces.append((inside, lastInSubtree[inside]))
        for i in 1..<stem.count {
            let node = stem[i], child = stem[i - 1]
            pieces.append((node, reverseThread[child]))
            if lastInSubtree[node] != lastInSubtree[child] {
                pieces.append((thread[lastInSubtree[child]], lastInSubtree[node]))
            }
        }
        newSizes.removeAll(keepingCapacity: true)
        newSizes.append(size)
        for i in 1..<stem.count { newSizes.append(size - subtreeSize[stem[i - 1]]) }
    }

    /// Takes S out of the thread, then fixes the ancestors that ended with it.
    /// S stays within the apex's subtree, so sizes change only below the apex;
    /// above it, only ancestors that ended with S (a chain) change.
    private mutating func detach(_ cutRoot: Int, size: Int, apex: Int) {
        let oldLast = lastInSubtree[cutRoot]
        let before = reverseThread[cutRoot], after = thread[oldLast]
        thread[before] = after
        reverseThread[after] = before
        var a = parent[cutRoot]
        while a != apex {
            subtreeSize[a] -= size
            if lastInSubtree[a] == oldLast { lastInSubtree[a] = before }
            a = parent[a]
        }
        while a >= 0 && lastInSubtree[a] == oldLast {
            lastInSubtree[a] = before
            a = parent[a]
        }
    }

    /// Chains the planned stretches into S's new order; returns its last node.
    private mutating func chainPieces() -> Int {
        for k in 1..<pieces.count {
            thread[pieces[k - 1].1] = pieces[k].0
            reverseThread[pieces[k].0] = pieces[k - 1].1
        }
        return pieces[pieces.count - 1].1
    }

    /// Reverses the stem's parent links, the entering arc hanging s₀ from
    /// `outside`, and sets the stem's new sizes and last node.
    private mutating func reverseStem(entering: Int, outside: Int, newLast: Int) {
        var previousArc = entering
        var previousNode = outside
        for node in stem {
            let arc = parentArc[node]
            parentArc[node] = previousArc
            parent[node] = previousNode
            previousArc = arc
            previousNode = node
        }
        for (i, node) in stem.enumerated() {
            subtreeSize[node] = newSizes[i]
            lastInSubtree[node] = newLast
        }
    }

    /// Inserts S right after `outside` on the thread and updates the sizes and
    /// last nodes of `outside`'s ancestors.
    private mutating func insert(inside: Int, after outside: Int, newLast: Int, size: Int, apex: Int) {
        let next = thread[outside]
        thread[outside] = inside
        reverseThread[inside] = outside
        thread[newLast] = next
        reverseThread[next] = newLast
        var a = outside
        let outsideWasLeaf = lastInSubtree[outside] == outside
        while a != apex {
            subtreeSize[a] += size
            if outsideWasLeaf && lastInSubtree[a] == outside { lastInSubtree[a] = newLast }
            a = parent[a]
        }
        while outsideWasLeaf && a >= 0 && lastInSubtree[a] == outside {
            lastInSubtree[a] = newLast
            a = parent[a]
        }
    }

    /// Shifts S's potentials so the entering arc's reduced cost is 0. Only
    /// differences of potentials matter, so when S is most of the tree (a
    /// subtree holding a funder often is), the rest shifts the other way.
    private mutating func shiftPotentials(entering: Int, inside: Int, outside: Int, newLast: Int, size: Int) {
        let wanted = tail[entering] == outside ? potential[outside] + cost[entering] : potential[outside] - cost[entering]
        let sigma = wanted - potential[inside]
        let nodes = n + 1
        thread.withUnsafeBufferPointer { thread in
            potential.withUnsafeMutableBufferPointer { potential in
                if size <= nodes / 2 {
                    var y = inside
                    for _ in 0..<size { potential[y] += sigma; y = thread[y] }
                } else {
                    var y = thread[newLast]
                    for _ in 0..<(nodes - size) { potential[y] -= sigma; y = thread[y] }
                }
            }
        }
    }
}
