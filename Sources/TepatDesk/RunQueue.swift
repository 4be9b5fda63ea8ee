import Foundation
import TepatData
import TepatPipeline
import TepatScenario
import TepatStore

/// Runs asked for from the desk, one at a time on a thread of their own (a
/// run uses both cores; the server's threads stay free to answer), in the
/// order asked, at most `capacity` waiting or running. A cancelled or failed run leaves
/// no run directory and no store row: PlanRun writes into a hidden staging
/// folder and moves it into place only at the end.
public final class RunQueue: @unchecked Sendable {
    public enum State: String, Codable, Sendable { case queued, running, done, failed, cancelled }

    /// What the desk shows of a run.
    public struct Job: Codable, Sendable {
        public var id: String
        public var dataset: String
        public var scenario: String?
        public var state: State
        public var stage: String?
        /// The run directory, relative to the workspace, once done.
        public var directory: String?
        public var message: String?
        public var problems: [DeskError.Problem]?
        public var seconds: Double?
    }

    public let capacity: Int
    let workspace: Workspace
    let store: RunStore?
    /// Guards everything below; signalled when a run is queued or the desk stops.
    private let lock = NSCondition()
    private var jobs: [String: Job] = [:]
    private var order: [String] = []
    private var waiting: [String] = []
    private var cancelled: Set<String> = []
    private var counter = 0
    private var stopping = false
    private var worker: Thread?

    public init(workspace: Workspace, store: RunStore?, capacity: Int = 8) {
        self.workspace = workspace
        self.store = store
        self.capacity = capacity
    }

    /// Queues a run of `dataset` (relative to the workspace) with the
    /// scenario file `scenario` (relative too, or none for the defaults).
    public func submit(dataset: String, scenario: String?) throws(DeskError) -> Job {
        let data = try workspace.resolve(dataset)
        guard DataDirectory.existingSource(of: Schemas.households.fileName, in: data) != nil else {
            throw DeskError(.notFound, "\(dataset) is not a data directory (no households.csv or households.xlsx)")
        }
        if let scenario {
            let path = try workspace.resolve(scenario)
            guard FileManager.default.fileExists(atPath: path) else { throw DeskError(.notFound, "no scenario file \(scenario)") }
        }
        lock.lock()
        defer { lock.unlock() }
        guard !stopping else { throw DeskError(.shuttingDown, "the desk is shutting down") }
        let pending = waiting.count + jobs.values.filter { $0.state == .running }.count
        guard pending < capacity else {
            throw DeskError(.queueFull, "\(pending) runs are waiting or running already; try again when one has finished")
        }
        counter += 1
        let job = Job(id: "run-\(counter)", dataset: workspace.relative(data), scenario: scenario, state: .queued)
        jobs[job.id] = job
        order.append(job.id)
        waiting.append(job.id)
        startWorkerIfNeeded()
        lock.signal()
        return job
    }

    public func job(_ id: String) -> Job? { lock.withLock { jobs[id] } }

    /// Every run asked for since the desk started, newest first.
    public func all() -> [Job] { lock.withLock { order.reversed().compactMap { jobs[$0] } } }

    /// Cancels a waiting or running run; false when it had ended already.
    public func cancel(_ id: String) -> Bool {
        lock.withLock {
            guard let job = jobs[id], job.state == .queued || job.state == .running else { return false }
            cancelled.insert(id)
            if job.state == .queued {
                waiting.removeAll { $0 == id }
                jobs[id]?.state = .cancelled
                jobs[id]?.message = "cancelled before it started"
            }
            return true
        }
    }

    /// Lets the running run finish or stop, and starts no other; waits for it.
    public func shutDown() {
        lock.withLock {
            stopping = true
            for id in waiting { jobs[id]?.state = .cancelled }
            waiting.removeAll()
            // A run in progress stops at its next stage, before moving its directory into place.
            cancelled.formUnion(jobs.values.filter { $0.state == .running }.map(\.id))
            lock.broadcast()
        }
        while lock.withLock({ jobs.values.contains { $0.state == .running } }) { Thread.sleep(forTimeInterval: 0.02) }
    }

    private func startWorkerIfNeeded() {
        guard worker == nil else { return }
        let thread = Thread { [weak self] in self?.work() }
        thread.name = "tepat-desk-runs"
        thread.stackSize = 8 << 20
        worker = thread
        thread.start()
    }

    private func work() {
        while let id = next() {
            let outcome = execute(id)
            lock.withLock { jobs[id] = outcome }
        }
    }

    /// The next waiting run, marked running; nil once the desk stops.
    private func next() -> String? {
        lock.lock()
        defer { lock.unlock() }
        while !stopping && waiting.isEmpty { lock.wait() }
        guard !stopping else { return nil }
        let id = waiting.removeFirst()
        jobs[id]?.state = .running
        return id
    }

    private func execute(_ id: String) -> Job {
        var job = lock.withLock { jobs[id]! }
        let started = Date()
        do {
            var run = try DeskRun.configure(job, workspace: workspace, store: store)
            run.onStage = { [weak self] stage in self?.lock.withLock { self?.jobs[id]?.stage = stage } }
            run.isCancelled = { [weak self] in self?.lock.withLock { self?.cancelled.contains(id) } ?? true }
            let outcome = try run.execute()
            job.state = .done
            job.directory = workspace.relative(outcome.directory)
        } catch is PlanRun.Cancelled {
            job.state = .cancelled
            job.message = PlanRun.Cancelled().description
        } catch {
            job.state = .failed
            (job.message, job.problems) = DeskRun.explain(error)
        }
        job.stage = nil
        job.seconds = (Date().timeIntervalSince(started) * 100).rounded() / 100
        return job
    }
}
