import Foundation

/// A one-line progress display on a terminal; silent when stderr is not a TTY
/// (CI logs, pipes) or when disabled.
final class Progress {
    private let enabled: Bool
    private let label: String
    private var lastShown = Date.distantPast
    private var shown = false

    init(enabled: Bool, label: String) {
        self.enabled = enabled && isatty(2) == 1
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        guard enabled, Date().timeIntervalSince(lastShown) > 0.1 || done == total else { return }
        lastShown = Date()
        shown = true
        let percent = total > 0 ? 100 * done / total : 100
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) (\(percent)%)".utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
