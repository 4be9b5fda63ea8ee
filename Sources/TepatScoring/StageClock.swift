import Foundation

/// Wall-clock seconds per stage.
public final class StageClock: @unchecked Sendable {
    private var last = Date()
    public private(set) var laps: [(String, Double)] = []
    public init() {}
    public func lap(_ name: String) {
        let now = Date()
        laps.append((name, now.timeIntervalSince(last)))
        last = now
    }
}
