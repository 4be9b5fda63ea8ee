/// A request the desk refuses, with the HTTP status it answers and a message
/// naming the file, line or key at fault.
public struct DeskError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Int, Sendable {
        case badRequest = 400, unauthorized = 401, forbidden = 403, notFound = 404, conflict = 409, tooLarge = 413,
             unprocessable = 422, queueFull = 429, shuttingDown = 503
    }

    public var kind: Kind
    public var message: String
    /// Problems behind the message, each with where it is (file:line, or a key).
    public var problems: [Problem] = []

    public struct Problem: Codable, Sendable, Equatable {
        public var location: String
        public var key: String?
        public var message: String
    }

    public init(_ kind: Kind, _ message: String, problems: [Problem] = []) {
        self.kind = kind
        self.message = message
        self.problems = problems
    }

    public var description: String { message }
}
