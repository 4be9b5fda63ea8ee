import Foundation
import Hummingbird

/// The desk's addresses: the page and its assets, the OpenAPI document, and
/// the JSON API (Resources/openapi.yaml describes every one of them).
enum DeskRoutes {
    typealias Handler = @Sendable (Request, BasicRequestContext, DeskAPI) async throws -> Response

    /// The JSON API: method, path and handler. openapi.yaml documents exactly
    /// these (a test compares the two).
    static let api: [(method: HTTPRequest.Method, path: String, handler: Handler)] = [
        (.get, "/api/datasets", { _, _, api in try JSONBody.response(api.datasets()) }),
        (.get, "/api/validation", { request, _, api in try JSONBody.response(api.validate(query(request, "dataset"))) }),
        (.get, "/api/scenario", { request, _, api in
            try JSONBody.response(api.scenario(dataset: query(request, "dataset"), file: query(request, "file")))
        }),
        (.put, "/api/scenario", { request, _, api in
            let body: DeskAPI.ScenarioValues = try await decode(request)
            return try JSONBody.response(api.saveScenario(dataset: query(request, "dataset"), file: query(request, "file"), body: body))
        }),
        (.post, "/api/runs", { request, _, api in
            let body: DeskAPI.RunRequest = try await decode(request)
            return try JSONBody.response(api.submit(body), status: .accepted)
        }),
        (.get, "/api/runs", { _, _, api in try JSONBody.response(api.runs()) }),
        (.get, "/api/runs/{id}", { _, context, api in try JSONBody.response(api.job(try context.parameters.require("id"))) }),
        (.post, "/api/runs/{id}/cancel", { _, context, api in
            let id = try context.parameters.require("id")
            _ = try api.job(id)
            return try JSONBody.response(["cancelled": api.queue.cancel(id)])
        }),
        (.get, "/api/results/files", { request, _, api in try JSONBody.response(api.files(run: query(request, "run"))) }),
        (.get, "/api/results/file", { request, _, api in try download(api.file(run: query(request, "run"), name: query(request, "name"))) }),
        (.get, "/api/results/rankings", { request, _, api in
            try JSONBody.response(api.table(run: query(request, "run"), name: "rankings.csv"))
        }),
        (.get, "/api/results/beneficiaries", { request, _, api in
            try JSONBody.response(api.table(run: query(request, "run"), name: "beneficiaries.csv", village: query(request, "village")))
        }),
        (.get, "/api/compare", { request, _, api in try JSONBody.response(api.compare(query(request, "a"), query(request, "b"))) }),
    ]

    static func add(to router: Router<BasicRequestContext>, api: DeskAPI) {
        router.get("/") { _, _ in try asset("desk.html") }
        router.get("/assets/{name}") { _, context in try asset(try context.parameters.require("name")) }
        router.get("/openapi.yaml") { _, _ in try asset("openapi.yaml") }
        for endpoint in Self.api {
            let handler = endpoint.handler
            router.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in try await handler(request, context, api) }
        }
    }

    /// The methods the desk answers at `path` (empty: no such address).
    static func methods(at path: String) -> [HTTPRequest.Method] {
        let pages: [(method: HTTPRequest.Method, path: String)] = [(.get, "/"), (.get, "/assets/{name}"), (.get, "/openapi.yaml")]
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return (pages + api.map { ($0.method, $0.path) }).filter { endpoint in
            let pattern = endpoint.path.split(separator: "/", omittingEmptySubsequences: false)
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0 == $1 || ($0.hasPrefix("{") && !$1.isEmpty) }
        }.map(\.method)
    }

    static func query(_ request: Request, _ name: String) -> String? { request.uri.queryParameters[name[...]].map(String.init) }

    /// A JSON body of at most `DeskAPI.maximumBody` bytes.
    static func decode<T: Decodable>(_ request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: DeskAPI.maximumBody)
        do { return try JSONBody.decoder.decode(T.self, from: Data(buffer.readableBytesView)) } catch {
            throw DeskError(.badRequest, "the body is not the JSON this endpoint takes: \(Self.reason(error))")
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "not JSON"
        }
    }

    static let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                        "yaml": "application/yaml", "json": "application/json", "geojson": "application/geo+json",
                        "csv": "text/csv; charset=utf-8", "txt": "text/plain; charset=utf-8", "mps": "text/plain; charset=utf-8",
                        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png", "svg": "image/svg+xml"]

    /// A file of the page itself (Resources/), by plain name.
    static func asset(_ name: String) throws -> Response {
        guard let url = resource(name), let data = try? Data(contentsOf: url) else { throw DeskError(.notFound, "no asset \(name)") }
        let type = types[(name as NSString).pathExtension] ?? "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The page's files, by plain name; nil for any other name.
    static func resource(_ name: String) -> URL? {
        guard ["desk.html", "desk.js", "desk.css", "openapi.yaml"].contains(name) else { return nil }
        return Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources")
    }

    /// A run's file: shown in the browser when it is a page, else downloaded.
    static func download(_ path: String) throws -> Response {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw DeskError(.notFound, "cannot read \((path as NSString).lastPathComponent)") }
        let name = (path as NSString).lastPathComponent
        let type = types[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        var headers: HTTPFields = [.contentType: type]
        if !name.hasSuffix(".html") { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
