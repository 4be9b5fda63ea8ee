import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every request needs the start's token: `Authorization: Bearer TOKEN`, or
/// the cookie that opening the printed address (`/?token=TOKEN`) sets.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    static var cookieName: String { "tepat_token" }
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/", let given = request.uri.queryParameters["token"] {
            guard AccessToken.matches(given, token) else { return Self.refusal(page: true) }
            // The token leaves the address bar at once; the cookie carries it from here.
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.headers[.setCookie] = "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
            return response
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? $0.dropFirst(7) : nil }
        let cookie = request.cookies[Self.cookieName].map { Substring($0.value) }
        guard let given = bearer ?? cookie, AccessToken.matches(given, token) else {
            return Self.refusal(page: !request.uri.path.hasPrefix("/api/") && request.uri.path != "/openapi.yaml")
        }
        return try await next(request, context)
    }

    static func refusal(page: Bool) -> Response {
        let message = "this desk needs its token: open the address tepat serve printed (http://127.0.0.1:PORT/?token=…)"
        if page {
            let html = "<!doctype html><meta charset=utf-8><title>Tepat</title><p>\(message)</p>\n"
            return Response(status: .unauthorized, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        return JSONBody.error(.unauthorized, message)
    }
}

/// Every failure as JSON with a message (a page's too), never a stack or a
/// path outside the workspace; and the headers that keep pages to themselves.
struct DeskErrors<Context: RequestContext>: RouterMiddleware {
    static var tooLarge: String { "the request is larger than the desk accepts (\(DeskAPI.maximumBody / 1024) KiB)" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as DeskError {
            response = JSONBody.error(HTTPResponse.Status(code: error.kind.rawValue), error.message, problems: error.problems)
        } catch is NIOTooManyBytesError {
            response = JSONBody.error(.contentTooLarge, Self.tooLarge)
        } catch let error as HTTPError {
            response = Self.response(to: error, request)
        } catch {
            response = JSONBody.error(.internalServerError, "the desk failed to answer: \(type(of: error))")
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }

    /// Hummingbird's own refusals as JSON; an address answered for other methods is 405 with `Allow`.
    static func response(to error: HTTPError, _ request: Request) -> Response {
        let allowed = error.status == .notFound ? DeskRoutes.methods(at: request.uri.path) : []
        if !allowed.isEmpty {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            var response = JSONBody.error(.methodNotAllowed, "\(request.method.rawValue) is not answered at \(request.uri.path); use \(names)")
            response.headers[.allow] = names
            return response
        }
        let message = error.status == .notFound ? "no such page or endpoint: \(request.uri.path)"
            : error.status == .contentTooLarge ? tooLarge
            : error.body ?? error.status.reasonPhrase
        return JSONBody.error(error.status, message)
    }
}

/// JSON answers: keys sorted and in snake_case, so answers are the same bytes each time.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct Failure: Encodable {
        var message: String
        var problems: [DeskError.Problem]?
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, problems: [DeskError.Problem] = []) -> Response {
        (try? response(Failure(message: message, problems: problems.isEmpty ? nil : problems), status: status))
            ?? Response(status: .internalServerError)
    }
}
