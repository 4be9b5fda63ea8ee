/// What the run store keeps of a finished run: where it is, what went in
/// (with checksums) and its headline figures. No personal data.
public struct RunRecord: Sendable {
    public var directory: String
    public var dataDirectory: String
    public var seed: UInt64
    /// The effective scenario (YAML), empty when the run had none.
    public var scenario: String
    /// Input files and their rows, in reading order.
    public var inputs: [(name: String, rows: Int)]
    /// SHA-256 per input file name.
    public var checksums: [String: String]
    public var villages: Int
    public var households: Int
    public var p0: Double
    public var poorPersons: Double
    /// Allocation objective (persons × P2) and rupiah spent, when funds were allocated.
    public var objective: Double?
    public var spent: Int64?
    public var seconds: Double

    public init(directory: String, dataDirectory: String, seed: UInt64, scenario: String, inputs: [(name: String, rows: Int)],
                checksums: [String: String], villages: Int, households: Int, p0: Double, poorPersons: Double,
                objective: Double?, spent: Int64?, seconds: Double) {
        self.directory = directory
        self.dataDirectory = dataDirectory
        self.seed = seed
        self.scenario = scenario
        self.inputs = inputs
        self.checksums = checksums
        self.villages = villages
        self.households = households
        self.p0 = p0
        self.poorPersons = poorPersons
        self.objective = objective
        self.spent = spent
        self.seconds = seconds
    }
}
