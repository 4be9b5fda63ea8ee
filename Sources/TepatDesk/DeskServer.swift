import Foundation
import Hummingbird
import Logging
import TepatStore

/// `tepat serve`: the planner's desk, a local web app over the JSON API of
/// `DeskAPI`, on loopback unless told otherwise, every request carrying the
/// secret token printed at start.
public struct DeskServer: Sendable {
    public var workspace: Workspace
    public var host: String
    public var port: Int
    public var token: String
    public var store: RunStore?
    /// Said once the server listens: the address to open, token included.
    public var onListening: @Sendable (String) -> Void = { print($0) }

    public init(workspace: Workspace, host: String = "127.0.0.1", port: Int = 8600, token: String = AccessToken.make(), store: RunStore?) {
        self.workspace = workspace
        self.host = host
        self.port = port
        self.token = token
        self.store = store
    }

    /// Serves until SIGTERM or SIGINT; then lets a run in progress stop before
    /// it moves its directory into place, so nothing is left half-written.
    public func run() async throws {
        let queue = RunQueue(workspace: workspace, store: store)
        let api = DeskAPI(workspace: workspace, queue: queue, store: store)
        let router = Router()
        router.add(middleware: DeskErrors())
        router.add(middleware: TokenCheck(token: token))
        DeskRoutes.add(to: router, api: api)
        var logger = Logger(label: "tepat-desk")
        logger.logLevel = .warning
        let token = token, host = host, onListening = onListening
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tepat"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                onListening("http://\(shown):\(port)/?token=\(token)")
            }, logger: logger)
        defer { queue.shutDown() }
        try await app.runService()
    }
}

/// The per-start secret: 32 random bytes as hex.
public enum AccessToken {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Equal strings, compared in time that does not depend on where they differ.
    static func matches(_ given: Substring, _ token: String) -> Bool {
        let a = Array(given.utf8), b = Array(token.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

extension DeskServer {
    /// Runs `work` to its end from synchronous code (the command line's `run`).
    public static func block(_ work: @escaping @Sendable () async throws -> Void) throws {
        final class Outcome: @unchecked Sendable { var error: (any Error)? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await work() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}
